// @ts-check
/*
 * Next's own file-system cache for rendered pages, plus four duties:
 * - every cached HTML page is stored and served with a Content-Security-Policy that lists the
 *   SHA-256 hash of each inline script Next wrote into exactly those bytes (see csp.mjs for why
 *   cached pages use hashes and per-request pages use nonces). The policy is added when an entry
 *   is stored, which also covers the response that caused the render: Next sends that response
 *   with the same headers object. Pages prerendered by `next build` get theirs on first read;
 * - only pages that rendered (status 200) are stored: a 404 for an unknown article or view
 *   would otherwise be a file per address a visitor makes up;
 * - what it stores is bounded (cache-bounds.mjs), pages and signed-out search results each in
 *   a pool of their own: past either bound of a pool, its least recently used entries' files
 *   are removed.
 * - an article page (or search result) stored before another process (the import command)
 *   changed its article is answered as missing, so it is rendered again (outside-changes.mjs).
 * next.config.js names this file as `cacheHandler`; Next loads it at run time, outside the bundle.
 * It extends a class inside Next (its path and entry shape are checked by cache-handler.test.ts
 * against the exact version package.json pins).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { SEARCH_RESULTS_PATH, cacheBounds } from './cache-bounds.mjs';
import { CSP_HEADER, hashPolicy } from './csp.mjs';
import { outdatedByOutsideChange, publishPage, unpublishPage } from './shared-pages.mjs';

/**
 * @typedef {{ kind?: string, html?: unknown, rscData?: unknown, body?: unknown, status?: number,
 *   segmentData?: Map<string, unknown>, headers?: Record<string, unknown> }} CachedValue
 */

// Next's default handler, a CommonJS module with the class as its default export.
/** @type {{ new (context: unknown): { get(...args: unknown[]): Promise<{ value?: CachedValue } | null>, set(key: string, data: CachedValue | null, context: unknown): Promise<void>, getFilePath(key: string, kind: string): string } }} */
const FileSystemCache = createRequire(import.meta.url)('next/dist/server/lib/incremental-cache/file-system-cache.js').default;

/** Response kinds stored as files: a page (.html, .rsc, .meta, .segments/) or a route handler's body (.body, .meta). */
const RESPONSE_KINDS = new Set(['APP_PAGE', 'APP_ROUTE']);

/** The bounds on what this process stores, read once, when Next loads this file. */
const BOUNDS = cacheBounds();

/**
 * @typedef {{ bytes: number, files: string[] }} StoredEntry
 * @typedef {{ entries: Map<string, StoredEntry>, bytes: number, maxEntries: number, maxBytes: number }} Pool
 */

/**
 * Entries this process stored, per pool, least recently used first (a Map keeps insertion
 * order), with their size and the files that hold them. Module-wide: Next makes a handler per
 * request.
 * @type {{ pages: Pool, searches: Pool }}
 */
const pools = {
  pages: { entries: new Map(), bytes: 0, ...BOUNDS.pages },
  searches: { entries: new Map(), bytes: 0, ...BOUNDS.searches },
};

/**
 * The pool a cache key belongs to: a search results page's, or every other page's and route's.
 * @param {string} key
 */
const poolOf = (key) => (key.includes(`/$${SEARCH_RESULTS_PATH}`) ? pools.searches : pools.pages);

/** @param {unknown} part */
function sizeOf(part) {
  if (typeof part === 'string') return Buffer.byteLength(part);
  return part instanceof Uint8Array ? part.byteLength : 0;
}

/**
 * Gives a cached page its policy, in place, unless it has one.
 * @param {CachedValue | null | undefined} value
 */
export function addPolicy(value) {
  if (!value || value.kind !== 'APP_PAGE' || typeof value.html !== 'string' || value.html === '') return;
  value.headers ??= {};
  if (typeof value.headers[CSP_HEADER] !== 'string') value.headers[CSP_HEADER] = hashPolicy(value.html);
}

/**
 * Whether an entry may be stored: anything but a response, or a response that rendered.
 * @param {CachedValue | null} data
 */
export function isStorable(data) {
  return !data || !RESPONSE_KINDS.has(data.kind ?? '') || data.status === undefined || data.status === 200;
}

export default class HashingCacheHandler extends FileSystemCache {
  /**
   * @override
   * @param {unknown[]} args
   */
  async get(...args) {
    const entry = await super.get(...args);
    const key = /** @type {string} */ (args[0]);
    const storedAt = /** @type {{ lastModified?: number } | null} */ (entry)?.lastModified ?? 0;
    // Changed by the import command since it was rendered: missing, so it is rendered again.
    if (outdatedByOutsideChange(key, entry?.value, storedAt)) return null;
    addPolicy(entry?.value);
    publishPage(key, entry?.value, storedAt);
    const { entries } = poolOf(key);
    const known = entries.get(key);
    if (entry && known) {
      entries.delete(key);
      entries.set(key, known);
    }
    return entry;
  }

  /**
   * @override
   * @param {string} key
   * @param {CachedValue | null} data
   * @param {unknown} context
   */
  async set(key, data, context) {
    // Even a page that is not stored gets its policy: Next answers this request with these headers.
    addPolicy(data);
    if (!isStorable(data)) return;
    await super.set(key, data, context);
    publishPage(key, data, Date.now());
    if (data && RESPONSE_KINDS.has(data.kind ?? '')) this.track(key, data);
  }

  /**
   * Counts an entry just written, then removes the least recently used ones past the bounds.
   * @param {string} key
   * @param {CachedValue} data
   */
  track(key, data) {
    const kind = /** @type {string} */ (data.kind);
    const main = this.getFilePath(`${key}${kind === 'APP_ROUTE' ? '.body' : '.html'}`, kind);
    const base = main.replace(/\.(html|body)$/, '');
    const files = [main, `${base}.meta`, ...(kind === 'APP_PAGE' ? [`${base}.rsc`, `${base}.segments`] : [])];
    let bytes = sizeOf(data.html) + sizeOf(data.rscData) + sizeOf(data.body);
    for (const segment of data.segmentData?.values() ?? []) bytes += sizeOf(segment);
    const pool = poolOf(key);
    forget(pool, key);
    pool.entries.set(key, { bytes, files });
    pool.bytes += bytes;
    for (const [oldest, entry] of pool.entries) {
      if (pool.entries.size <= pool.maxEntries && pool.bytes <= pool.maxBytes) break;
      if (oldest === key) continue;
      forget(pool, oldest);
      unpublishPage(oldest);
      // A reader of a removed entry finds no file and renders the page again.
      for (const file of entry.files) fs.rmSync(file, { recursive: true, force: true });
    }
  }
}

/**
 * @param {Pool} pool
 * @param {string} key
 */
function forget(pool, key) {
  const entry = pool.entries.get(key);
  if (!entry) return;
  pool.entries.delete(key);
  pool.bytes -= entry.bytes;
}
