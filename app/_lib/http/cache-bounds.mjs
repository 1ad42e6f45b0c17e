// @ts-check
/*
 * How much the page cache handler (cache-handler.mjs) may keep on disk, in two pools with bounds
 * of their own: pages (PAGE_CACHE_MAX_ENTRIES / _MB) and signed-out search results
 * (SEARCH_CACHE_MAX_ENTRIES / _MB), whichever of a pool's two bounds is reached first. Searches
 * have their own pool because anyone can make up a new one per request; they must not push the
 * article pages out. All four are declared, with their defaults, in ../config.mjs, which
 * instrumentation.ts checks at start; only these are read here, so loading the handler never
 * fails on another setting.
 */
import { parseSetting } from '../config.mjs';

/** The search results pages' route (app/search/results/[key]), as the handler sees it in a key. */
export const SEARCH_RESULTS_PATH = '/search/results/';

export function cacheBounds() {
  return {
    pages: { maxEntries: parseSetting('PAGE_CACHE_MAX_ENTRIES'), maxBytes: parseSetting('PAGE_CACHE_MAX_MB') * 1024 * 1024 },
    searches: { maxEntries: parseSetting('SEARCH_CACHE_MAX_ENTRIES'), maxBytes: parseSetting('SEARCH_CACHE_MAX_MB') * 1024 * 1024 },
  };
}
