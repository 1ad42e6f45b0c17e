/*
 * What a reader typed into a search box, made safe for SQLite FTS5 and made canonical for the
 * shared cache. FTS5 has a query language (quotes, NEAR, *, AND/OR/NOT, parentheses, column
 * filters, ^); none of it is passed through: the query is cut into words the way FTS5's
 * unicode61 tokenizer cuts text (letters, digits and marks; everything else separates), and
 * db/queries/search.ts quotes each word as a phrase of its own. So any input is a plain AND of words.
 * No 'server-only': proxy.ts redirects to the canonical address with it.
 */
import { SEARCH_QUERY_MAX } from '../limits';

export type SearchQuery =
  | { status: 'ok'; words: string[]; normalized: string }
  /** No q at all: the page shows the empty form. */
  | { status: 'missing' }
  | { status: 'empty' }
  | { status: 'too_long' };

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

export function parseSearchQuery(q: string | null): SearchQuery {
  if (q === null) return { status: 'missing' };
  // Characters (code points), as the limit is stated. A string of n UTF-16 units holds at least
  // n/2 characters, so a long one is refused before it is spread into an array.
  if (q.length > 2 * SEARCH_QUERY_MAX || [...q].length > SEARCH_QUERY_MAX) return { status: 'too_long' };
  // NFKC makes full-width and compatibility forms the word readers mean.
  const words = q.normalize('NFKC').toLowerCase().match(WORD) ?? [];
  if (words.length === 0) return { status: 'empty' };
  return { status: 'ok', words, normalized: words.join(' ') };
}

/** What the page says when there is no search to run. */
export const SEARCH_MESSAGES: Record<Exclude<SearchQuery['status'], 'ok'>, string> = {
  missing: 'Type one or more words to search the articles and their discussions.',
  empty: 'Type at least one word: letters or digits. Punctuation and symbols are not searched.',
  too_long: `That search is too long: type at most ${SEARCH_QUERY_MAX} characters.`,
};

export type SearchRequest = {
  query: SearchQuery;
  /** "Search this discussion": the article's slug, or null for the whole site. */
  article: string | null;
  /** The cursor: results after (older than) this comment id. */
  after: number | null;
};

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CURSOR = /^[1-9]\d{0,15}$/;

export function readSearchParams(params: URLSearchParams): SearchRequest {
  const article = params.get('article');
  const after = params.get('after');
  return {
    query: parseSearchQuery(params.get('q')),
    article: article !== null && article.length <= 200 && SLUG.test(article) ? article : null,
    after: after !== null && CURSOR.test(after) && Number.isSafeInteger(Number(after)) ? Number(after) : null,
  };
}

/** A search's address, its parameters always in this order, so equal searches are one URL. */
export function searchHref({ q, article, after }: { q: string; article?: string | null; after?: number | null }): string {
  const params = new URLSearchParams({ q });
  if (article) params.set('article', article);
  if (after) params.set('after', String(after));
  return `/search?${params.toString()}`;
}

/*
 * Signed-out searches are served from Next's page cache, like the article pages: proxy.ts
 * rewrites a canonical /search?… to /search/results/<key> (app/search/results/[key]), where the
 * key is the canonical query string in base64url, a file name on any file system. A longer key
 * than this (a long query) is not cached: the stored page's files are named after it, and file
 * names stop at 255 bytes, suffixes included. Such a search is rendered per request.
 */
const CACHE_KEY_MAX = 200;

/**
 * Where a search request goes, from one reading of its query string (`search`, with or without
 * its "?"): `redirect`, its canonical address when it is not already there (words normalized,
 * known parameters only, in order), else null; `key`, its page-cache key when it is at its
 * canonical address and the key is short enough, else null. A query with nothing to search has
 * neither: it gets its message where it was asked.
 */
export function searchRoute(search: string): { redirect: string | null; key: string | null } {
  const { query, article, after } = readSearchParams(new URLSearchParams(search));
  if (query.status !== 'ok') return { redirect: null, key: null };
  const href = searchHref({ q: query.normalized, article, after });
  // Compared as written: `q=a%20b` and `q=a+b` are one search but two keys to a shared cache.
  if (href !== `/search${search.startsWith('?') ? search : `?${search}`}`) return { redirect: href, key: null };
  const key = Buffer.from(href.slice('/search?'.length), 'utf8').toString('base64url');
  return { redirect: null, key: key.length <= CACHE_KEY_MAX ? key : null };
}

/** The page-cache key of a search at its canonical address (`search` with or without "?"), or null. */
export function searchCacheKey(search: string): string | null {
  return searchRoute(search).key;
}

/** The search a page-cache key stands for, or null when it is not the key of a canonical search. */
export function searchOfCacheKey(key: string): URLSearchParams | null {
  if (key.length > CACHE_KEY_MAX || !/^[A-Za-z0-9_-]+$/.test(key)) return null;
  const search = Buffer.from(key, 'base64url').toString('utf8');
  return searchCacheKey(search) === key ? new URLSearchParams(search) : null;
}
