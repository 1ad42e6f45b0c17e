import type { Metadata } from 'next';
import Link from 'next/link';
import { SearchForm } from './search-form';
import { exactTime } from './timestamp';
import { articlePath, commentPath } from '@/app/_lib/content/site';
import { readSearchParams, searchHref } from '@/app/_lib/search/query';
import { runSearch, type SearchGroup, type Snippet } from '@/app/_lib/search/results';

// Result pages are many and short-lived: not for search engines' indexes (links are followed).
export const searchMetadata: Metadata = { title: 'Search', robots: { index: false, follow: true } };

/*
 * The search page's content for /search?q=…[&article=slug][&after=cursor]: the articles and
 * visible comments holding every word. It depends on the search alone (who is signed in is the
 * header's business, drawn around it), so the same content is rendered per request for a
 * signed-in reader (app/(reader)/search) and stored in the page cache for everyone signed out
 * (app/search/results/[key]). Every control is a link or a GET form: no JavaScript needed.
 */
export function SearchResults({ params }: { params: URLSearchParams }) {
  const request = readSearchParams(params);
  const outcome = runSearch(request);
  const typed = request.query.status === 'ok' ? request.query.normalized : '';
  const scope = outcome.status === 'results' ? outcome.scope : null;
  // data-read-at: when the results were read. A stored copy counts as showing the writes before
  // this, not the ones made while it rendered (app/_lib/http/shared-pages.mjs, app/search/reader).
  return (
    <div className="page page--search" data-read-at={outcome.readAt}>
      {outcome.status === 'results' ? (
        <h1>
          Search results for “{outcome.words}”{scope ? <> in “{scope.title}”</> : null}
        </h1>
      ) : (
        <h1>Search</h1>
      )}
      <SearchForm
        name={scope ? 'Search this discussion' : 'Search again'}
        label={scope ? 'Search this discussion' : 'Search the articles and discussions'}
        id="search-page-q"
        defaultValue={typed}
        article={scope?.slug}
        showLabel
        className="search-page__form"
      />
      {outcome.status === 'message' ? <p className="search-message">{outcome.message}</p> : null}
      {outcome.status === 'no_article' ? (
        <p className="search-message">
          No article has the address “{outcome.slug}”.{' '}
          {typed ? <Link href={searchHref({ q: typed })}>Search the whole site</Link> : null}
        </p>
      ) : null}
      {outcome.status === 'results' ? (
        <>
          {scope ? (
            <p>
              <Link href={searchHref({ q: outcome.words })}>Search the whole site</Link>
            </p>
          ) : null}
          {outcome.groups.length === 0 ? (
            <p className="search-message">
              {outcome.after === null ? `Nothing found for “${outcome.words}”${scope ? ' in this discussion' : ''}.` : 'No older results.'}
            </p>
          ) : (
            outcome.groups.map((group) => <ResultGroup key={group.slug} group={group} />)
          )}
          <nav aria-label="More results" className="search-pages">
            {outcome.after !== null ? <Link href={searchHref({ q: outcome.words, article: scope?.slug })}>Newest results</Link> : null}
            {outcome.nextAfter !== null ? (
              <Link href={searchHref({ q: outcome.words, article: scope?.slug, after: outcome.nextAfter })}>Older results</Link>
            ) : null}
          </nav>
        </>
      ) : null}
    </div>
  );
}

function ResultGroup({ group }: { group: SearchGroup }) {
  return (
    <section aria-label={`Results in ${group.title}`} className="search-group">
      <h2 className="search-group__title">
        <Link href={articlePath(group.slug)}>{group.title}</Link>
      </h2>
      {group.article ? (
        <p className="search-group__article">
          <SnippetText snippet={group.article} />
        </p>
      ) : null}
      {group.comments.length > 0 ? (
        <ol className="search-hits">
          {group.comments.map((hit) => (
            <li key={hit.id} className="search-hit">
              <p className="search-hit__meta">
                <Link href={commentPath(group.slug, hit.id)}>
                  Comment by {hit.authorName}, <time dateTime={hit.createdAt.toISOString()}>{exactTime(hit.createdAt)}</time>
                </Link>
              </p>
              <p className="search-hit__snippet">
                <SnippetText snippet={hit.snippet} />
              </p>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

/** The snippet's parts as text (React escapes them), the matched words marked. */
function SnippetText({ snippet }: { snippet: Snippet }) {
  return snippet.map((part, index) => (part.hit ? <mark key={index}>{part.text}</mark> : part.text));
}
