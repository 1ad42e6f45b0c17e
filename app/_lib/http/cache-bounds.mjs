// @ts-check
/*
 * How much the page cache handler (cache-handler.mjs) may keep on disk: PAGE_CACHE_MAX_ENTRIES
 * pages and PAGE_CACHE_MAX_MB megabytes, whichever is reached first. Both are declared, with
 * their defaults, in ../config.mjs, which instrumentation.ts checks at start; only these two are
 * read here, so loading the handler never fails on another setting.
 */
import { parseSetting } from '../config.mjs';

export function cacheBounds() {
  return { maxEntries: parseSetting('PAGE_CACHE_MAX_ENTRIES'), maxBytes: parseSetting('PAGE_CACHE_MAX_MB') * 1024 * 1024 };
}
