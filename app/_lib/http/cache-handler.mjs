// @ts-check
/*
 * Next's own file-system cache for rendered pages, plus one duty: every cached HTML page is
 * stored and served with a Content-Security-Policy that lists the SHA-256 hash of each inline
 * script in exactly those bytes (see csp.mjs for why cached pages use hashes and per-request
 * pages use nonces). The policy is added when an entry is stored, which also covers the
 * response that caused the render: Next sends that response with the same headers object. Pages
 * prerendered by `next build` get theirs on first read. next.config.js names this file as
 * `cacheHandler`; Next loads it at run time, outside the bundle.
 */
import { createRequire } from 'node:module';
import { CSP_HEADER, hashPolicy } from './csp.mjs';

/** @typedef {{ kind?: string, html?: unknown, headers?: Record<string, unknown> }} CachedValue */

// Next's default handler, a CommonJS module with the class as its default export.
/** @type {{ new (context: unknown): { get(...args: unknown[]): Promise<{ value?: CachedValue } | null>, set(key: string, data: CachedValue, context: unknown): Promise<void> } }} */
const FileSystemCache = createRequire(import.meta.url)('next/dist/server/lib/incremental-cache/file-system-cache.js').default;

/**
 * Gives a cached page its policy, in place, unless it has one.
 * @param {CachedValue | null | undefined} value
 */
export function addPolicy(value) {
  if (!value || value.kind !== 'APP_PAGE' || typeof value.html !== 'string' || value.html === '') return;
  value.headers ??= {};
  if (typeof value.headers[CSP_HEADER] !== 'string') value.headers[CSP_HEADER] = hashPolicy(value.html);
}

export default class HashingCacheHandler extends FileSystemCache {
  /**
   * @override
   * @param {unknown[]} args
   */
  async get(...args) {
    const entry = await super.get(...args);
    addPolicy(entry?.value);
    return entry;
  }

  /**
   * @override
   * @param {string} key
   * @param {CachedValue} data
   * @param {unknown} context
   */
  async set(key, data, context) {
    addPolicy(data);
    return super.set(key, data, context);
  }
}
