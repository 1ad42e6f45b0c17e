import Link from 'next/link';
import type { ArticlePage } from '@/db/queries/articles';
import type { DiscussionData } from '@/app/_lib/comments/discussion';
import { articleViewHref, viewQuery } from '@/app/_lib/comments/view';
import { THREAD_SORTS } from '@/db/comment-order';
import { Arrival } from './arrival';
import { InlineDelete } from './inline-delete';
import { CommentForm } from './comment-form';
import { LiveUpdates } from './live-updates';
import { LoadMore } from './load-more';
import { QuestionPrompts, QuestionTabs } from './question-prompts';
import { CommentItem } from './comment-item';
import { SubscribeForm } from './subscribe-form';
import { SearchForm } from '@/app/_components/search-form';
import { ThreadList, discussionContext } from './thread-list';
import { countOf } from '@/app/_lib/format';
import { denial, tokenAttributes } from '@/app/_lib/permissions';
import type { ReaderLayer } from '@/app/_lib/comments/reader-layer';
import { CLOSED_NOTICE, discussionWhoHtml } from '@/app/_lib/content/reader-html';

const SORT_LABELS = { oldest: 'Oldest', newest: 'Newest', top: 'Top' } as const;

/**
 * The discussion section: questions, the comment box, the order, the threads and paging. The
 * same HTML for every reader but for the layer's parts: its data-may* tokens, the "commenting
 * as" line, and the comments' marks (see app/_lib/comments/reader-layer.ts).
 */
export function Discussion({
  article,
  data,
  layer,
  draft,
}: {
  article: ArticlePage;
  data: DiscussionData;
  layer: ReaderLayer;
  draft: string | null;
}) {
  const { view } = data;
  const question = data.question;
  const query = viewQuery({ sort: view.sort, question: question?.key });
  const { tokens, viewer } = layer;
  // A closed discussion is closed for everyone, so its box is left out; the rest is the tokens' to show.
  const closed = denial(null, 'post', { article }) === 'closed';
  return (
    <section
      id="discussion"
      className="discussion"
      aria-labelledby="discussion-heading"
      {...tokenAttributes(tokens)}
    >
      <h2 id="discussion-heading" className="discussion__heading">
        Discussion <span className="discussion__count">{countOf(article.commentCount, 'comment')}</span>
      </h2>
      {/* Said first, above the questions: a reader learns it before reading the prompts to answer. */}
      {closed ? <p className="notice notice--closed">{CLOSED_NOTICE}</p> : null}
      <QuestionPrompts article={article} data={data} layer={layer} />

      {/* Who is commenting: HTML that hydration keeps, replaced for a reader by reader-page.ts. */}
      <div
        id="discussion-who"
        dangerouslySetInnerHTML={{ __html: discussionWhoHtml(viewer, article, articleViewHref(article.slug, { sort: view.sort, question: question?.key }, '#discussion')) }}
      />
      <SubscribeForm
        articleSlug={article.slug}
        permalink={articleViewHref(article.slug, view, '#discussion-subscribe')}
        view={viewQuery(view)}
        signInHref={`/signin?callbackUrl=${encodeURIComponent(articleViewHref(article.slug, view, '#discussion-subscribe'))}`}
      />
      {closed ? null : (
      <CommentForm
        articleSlug={article.slug}
        authorName={viewer?.name}
        initialBody={draft ?? ''}
        question={question ? { key: question.key, prompt: question.prompt } : undefined}
        withoutQuestionHref={question ? articleViewHref(article.slug, { sort: view.sort }, '#comment-form') : undefined}
        permalink={articleViewHref(article.slug, view, '#comment-form')}
        view={viewQuery({ sort: view.sort, question: question?.key, after: view.comment ? null : view.after })}
      />
      )}

      {/* Keyed by the view: another order or question starts with no strip of new comments. */}
      <LiveUpdates key={viewQuery(view)} articleSlug={article.slug} latestId={data.latestId} query={viewQuery(view)} />
      <Arrival latestId={data.latestId} />
      <InlineDelete articleSlug={article.slug} view={query} />

      <div className="discussion__toolbar">
        <QuestionTabs article={article} data={data} />
        <nav aria-label="Sort comments" className="sort">
          <span className="sort__label" aria-hidden="true">
            Sort:
          </span>
          <ul>
            {THREAD_SORTS.map((sort) => (
              <li key={sort}>
                <Link
                  href={articleViewHref(article.slug, { sort, question: question?.key }, '#discussion-comments')}
                  aria-current={sort === view.sort ? 'page' : undefined}
                  scroll={false}
                >
                  {SORT_LABELS[sort]}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </div>
      <SearchForm name="Search this discussion" label="Search this discussion" id="discussion-search" article={article.slug} showLabel className="discussion-search" />

      {data.missingComment ? (
        <p className="notice" role="status">
          The comment you linked to is not in this discussion any more.
        </p>
      ) : null}
      {data.startsLater ? (
        <p className="notice">
          {view.comment ? 'Showing the discussion from the linked comment. ' : 'Showing later comments. '}
          <Link href={articleViewHref(article.slug, { sort: view.sort, question: question?.key }, '#discussion-comments')}>
            Show from the start
          </Link>
        </p>
      ) : null}

      {data.featured.length > 0 ? (
        <section className="picks" aria-labelledby="picks-heading">
          <h3 id="picks-heading" className="picks__heading">
            Editor’s picks
          </h3>
          <ol className="threads">
            {data.featured.map((comment) => (
              <li key={comment.id} className="comment-node">
                <CommentItem comment={{ ...comment }} context={{ ...discussionContext(article, data, layer), anchorPrefix: 'pick' }} />
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      <div id="discussion-comments">
        {data.threads.length === 0 && !data.startsLater ? (
          <p className="discussion__empty">
            {question ? 'No answers to this question yet. Be the first.' : 'No comments yet. Be the first to answer the article’s questions.'}
          </p>
        ) : (
          <ol className="threads" aria-label={question ? `Answers to “${question.label}”` : 'Comments'}>
            <ThreadList article={article} data={data} layer={layer} />
          </ol>
        )}
        {data.nextCursor ? (
          <LoadMore
            key={`${query}|${data.nextCursor}`}
            articleSlug={article.slug}
            query={query}
            cursor={data.nextCursor}
            nextHref={articleViewHref(article.slug, { sort: view.sort, question: question?.key, after: data.nextCursor }, '#discussion-comments')}
          />
        ) : null}
      </div>
    </section>
  );
}
