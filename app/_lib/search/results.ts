import 'server-only';
import { findSearchScope, searchArticles, searchComments, type ArticleHit, type CommentHit, type Snippet } from '@/db/queries/search';
import { SEARCH_MESSAGES, type SearchRequest } from './query';

export type { Snippet };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** One article in the results: its own snippet if its text matched, and its matching comments on this page. */
export type SearchGroup = { slug: string; title: string; article: Snippet | null; comments: CommentHit[] };

/**
 * Results grouped by article: articles whose own text matched first (best first), then the
 * others in the order of their newest matching comment on this page.
 */
export function groupByArticle(articleHits: ArticleHit[], commentHits: CommentHit[]): SearchGroup[] {
  const groups = new Map<string, SearchGroup>();
  for (const hit of articleHits) groups.set(hit.slug, { slug: hit.slug, title: hit.title, article: hit.snippet, comments: [] });
  for (const hit of commentHits) {
    let group = groups.get(hit.articleSlug);
    if (!group) groups.set(hit.articleSlug, (group = { slug: hit.articleSlug, title: hit.articleTitle, article: null, comments: [] }));
    group.comments.push(hit);
  }
  return [...groups.values()];
}

export type SearchOutcome = (
  | { status: 'message'; message: string }
  | { status: 'no_article'; slug: string }
  | { status: 'results'; words: string; scope: { slug: string; title: string } | null; groups: SearchGroup[]; nextAfter: number | null; after: number | null }
) & {
  /** When the database was read: a stored copy shows the writes before this (app/_lib/http/shared-pages.mjs). */
  readAt: number;
};

/**
 * Runs a search request: the query's own message when there is nothing to search, else one page
 * of results. Articles' own text is listed on the first page only; the cursor pages comments.
 */
export function runSearch(request: SearchRequest): SearchOutcome {
  const readAt = Date.now();
  return { ...outcomeOf(request), readAt };
}

function outcomeOf(request: SearchRequest): DistributiveOmit<SearchOutcome, 'readAt'> {
  const { query, after } = request;
  if (query.status !== 'ok') return { status: 'message', message: SEARCH_MESSAGES[query.status] };
  const scope = request.article === null ? null : findSearchScope(request.article);
  if (request.article !== null && scope === null) return { status: 'no_article', slug: request.article };
  const articleId = scope?.id ?? null;
  const articleHits = after === null ? searchArticles(query.words, { articleId }) : [];
  const { hits, nextAfter } = searchComments(query.words, { articleId, after });
  return {
    status: 'results',
    words: query.normalized,
    scope: scope && { slug: scope.slug, title: scope.title },
    groups: groupByArticle(articleHits, hits),
    nextAfter,
    after,
  };
}
