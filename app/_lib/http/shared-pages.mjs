// @ts-check
/*
 * The article pages (and signed-out searches) Next's cache holds, as this process last stored or
 * read them, for the signed-in fast paths (app/articles/[slug]/reader, app/search/reader): a
 * signed-in reader's page is the cached page with their layer written in, so it needs the cached
 * HTML without a request to itself. The cache handler (cache-handler.mjs, loaded by Next outside the bundle) publishes
 * here; the route handler, in the bundle, reads; globalThis is what both share.
 *
 * An entry is used only if it was stored after the last change to its article (to any article,
 * for a search; app/_lib/comments/article-cache.ts marks them), and after the reader's own last
 * write, so a reader always sees what they just did.
 */

import { SEARCH_RESULTS_PATH } from './cache-bounds.mjs';
import { latestOutsideChange, outsideChangeAt } from './outside-changes.mjs';

const STATE = Symbol.for('handset-ledger.shared-pages');

/**
 * @typedef {{ html: string, policy: string, storedAt: number }} SharedPage
 * @typedef {{ pages: Map<string, SharedPage>, changedAt: Map<string, number>, lastChangeAt: number, writtenBy: Map<string, number> }} State
 */

/** @returns {State} */
function state() {
  const g = /** @type {Record<symbol, State>} */ (/** @type {unknown} */ (globalThis));
  g[STATE] ??= { pages: new Map(), changedAt: new Map(), lastChangeAt: 0, writtenBy: new Map() };
  return g[STATE];
}

const READ_AT = /data-read-at="(\d+)"/;

/** Article pages and their views: /articles/<slug> and /articles/<slug>/view/<view>. */
const ARTICLE_KEY = /^\/articles\/([^/]+)(\/view\/[^/]+)?$/;
/** An article's social card: /articles/<slug>/card.png (app/articles/[slug]/card.png). */
const CARD_KEY = /^\/articles\/([^/]+)\/card\.png$/;

/**
 * The page's address in a cache key: Next 16 keys a page as /route-cache/APP_PAGE/<hash>/$<path>.
 * @param {string} key
 */
function pagePath(key) {
  const at = key.indexOf('/$/');
  const path = at < 0 ? key : key.slice(at + 2);
  // A view's segment (sort=top&…) may be stored percent-encoded; the route handler asks for it as written.
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * Called by the cache handler for every page it stores or reads.
 * @param {string} key
 * @param {{ html?: unknown, headers?: Record<string, unknown> } | null | undefined} value
 * @param {number} storedAt
 */
export function publishPage(key, value, storedAt) {
  const path = pagePath(key);
  if (!(ARTICLE_KEY.test(path) || isSearch(path)) || !value || typeof value.html !== 'string' || value.html === '') return;
  const policy = value.headers?.['content-security-policy'];
  if (typeof policy !== 'string') return;
  // A page is as new as its data, not its storing: a render that read the database before a
  // write and was stored after it must not count as showing that write. The page notes when
  // its route began reading (data-read-at, from loadArticle in app/_lib/content/article.ts).
  storedAt = dataTime(value.html, storedAt);
  const known = state().pages.get(path);
  // The same entry read again keeps its object: the signed-in path keeps what it read of it there.
  if (known && (known.storedAt > storedAt || (known.storedAt === storedAt && known.html === value.html))) return;
  state().pages.set(path, { html: value.html, policy, storedAt });
}

/**
 * When a page's data was read: the page's own mark, or when it was stored if earlier or unmarked.
 * @param {string} html
 * @param {number} storedAt
 */
function dataTime(html, storedAt) {
  const readAt = Number(READ_AT.exec(html)?.[1] ?? NaN);
  return Number.isFinite(readAt) ? Math.min(storedAt, readAt) : storedAt;
}

/**
 * Whether a cached article page (its card, or a search's results) was read before another
 * process (the import command) changed its article: the cache handler then answers as if it had
 * no such page (outside-changes.mjs).
 * @param {string} key
 * @param {{ html?: unknown, body?: unknown } | null | undefined} value
 * @param {number} storedAt
 */
export function outdatedByOutsideChange(key, value, storedAt) {
  const path = pagePath(key);
  if (!value) return false;
  // An article's social card (a route's body) shows its comment count.
  const card = CARD_KEY.exec(path);
  if (card) return outsideChangeAt(card[1] ?? '') >= storedAt;
  // A signed-out search's results (app/search/results/[key]) may list any article's comments.
  if (isSearch(path)) return latestOutsideChange() >= storedAt;
  if (!ARTICLE_KEY.test(path) || typeof value.html !== 'string') return false;
  return outsideChangeAt(scope(path)) >= dataTime(value.html, storedAt);
}

/** What changed is the article (its page and views) or, with '*', every article. */
const scope = (/** @type {string} */ key) => ARTICLE_KEY.exec(key)?.[1] ?? '';

/** A signed-out search's stored results: /search/results/<key>. */
const isSearch = (/** @type {string} */ path) => path.startsWith(SEARCH_RESULTS_PATH);

/**
 * Called by the cache handler when it removes an entry past its bounds: this process keeps no
 * copy of a page the cache no longer holds (made-up searches would otherwise pile up here).
 * @param {string} key
 */
export function unpublishPage(key) {
  state().pages.delete(pagePath(key));
}

/**
 * Marks an article's pages (slug '*': every article's) as changed now.
 * @param {string} slug
 */
export function markChanged(slug) {
  state().changedAt.set(slug, Date.now());
  state().lastChangeAt = Date.now();
  if (slug === '*') state().pages.clear();
}

/**
 * Remembers that this reader wrote just now: pages stored before it are not shown to them.
 * @param {string} userId
 */
export function markWritten(userId) {
  state().writtenBy.set(userId, Date.now());
}

/**
 * The page cached for everyone at `key` (its address: /articles/<slug>[/view/<view>] or
 * /search/results/<key>), if it shows every change so far and this reader's
 * own last write; else null (the caller renders for the reader instead).
 * @param {string} key
 * @param {string} userId
 * @returns {SharedPage | null}
 */
export function freshPage(key, userId) {
  const s = state();
  const page = s.pages.get(pagePath(key));
  if (!page) return null;
  // A search may list any article's comments: any change, anywhere, makes it older.
  if (isSearch(pagePath(key))) return page.storedAt > Math.max(s.lastChangeAt, s.writtenBy.get(userId) ?? 0, latestOutsideChange()) ? page : null;
  const after = Math.max(
    s.changedAt.get(scope(key)) ?? 0,
    s.changedAt.get('*') ?? 0,
    s.writtenBy.get(userId) ?? 0,
    outsideChangeAt(scope(pagePath(key))),
  );
  return page.storedAt > after ? page : null;
}
