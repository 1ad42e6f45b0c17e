// @ts-check
/*
 * How much the page cache handler (cache-handler.mjs) may keep on disk: PAGE_CACHE_MAX_ENTRIES
 * pages and PAGE_CACHE_MAX_MB megabytes, whichever is reached first. Its own module so that
 * instrumentation.ts can check the settings at start without loading Next's cache class.
 */

/**
 * A bound from the environment: a positive whole number, or the default when unset.
 * @param {string} name
 * @param {number} fallback
 */
function bound(name, fallback) {
  const text = (process.env[name] ?? '').trim();
  if (text === '') return fallback;
  if (!/^[1-9]\d{0,8}$/.test(text)) throw new Error(`${name} must be a positive whole number, not "${process.env[name]}"`);
  return Number(text);
}

export function cacheBounds() {
  return { maxEntries: bound('PAGE_CACHE_MAX_ENTRIES', 2000), maxBytes: bound('PAGE_CACHE_MAX_MB', 256) * 1024 * 1024 };
}
