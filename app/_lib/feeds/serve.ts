import 'server-only';
import etag from 'etag';
import fresh from 'fresh';
import { revalidateTag, unstable_cache } from 'next/cache';
import { ATOM_TYPE } from './links';

/*
 * The feeds are stored in Next's cache (the same cache handler as the pages) and refreshed by
 * the writes that refresh the article pages (app/_lib/comments/article-cache.ts), with an hour
 * as a backstop, as the pages have. They are not full-route cached as the pages are: Next
 * answers a cached page's If-None-Match itself, but sends a cached route handler's body whole,
 * so the route runs per request, reads the stored document (no database read), and answers a
 * conditional request with 304 (ETag first, then Last-Modified, as RFC 9110 orders them).
 * Cache-Control for shared caches is in next.config.js, beside the pages'.
 */

/** A stored feed: its document, entity tag and when it was made. */
export type StoredFeed = { xml: string; etag: string; madeAt: number };

/** Cache tags a write revalidates: one article's comments feed, all of them, the site feed. */
export const feedTags = {
  comments: (slug: string) => `feed:comments:${slug}`,
  allComments: 'feed:comments',
  site: 'feed:site',
};

/** The writes revalidate; this is the backstop, as for the article pages. */
const BACKSTOP_SECONDS = 3600;

/**
 * The stored feed under `key`, made by `make` when missing or revalidated. Check that what it
 * is for exists first: what `make` returns is stored, null too, so a made-up address must cost
 * a lookup, not a cache entry.
 */
export async function storedFeed(key: string, tags: string[], make: () => string | null, changedOutsideAt = 0): Promise<StoredFeed | null> {
  const read = unstable_cache(
    async () => {
      const xml = make();
      return xml === null ? null : { xml, etag: etag(xml), madeAt: Date.now() };
    },
    ['feed', key],
    { tags, revalidate: BACKSTOP_SECONDS },
  );
  const feed = await read();
  // Made before another process (npm run import) changed what it lists: made again now, as the
  // cache handler does for the article's pages (app/_lib/http/outside-changes.mjs).
  if (feed && changedOutsideAt >= feed.madeAt) {
    revalidateTag(tags[0]!, { expire: 0 });
    return read();
  }
  return feed;
}

/**
 * The feed as a response: 304 without a body when the request's validators match, else the
 * document. Last-Modified is when it was made, so a change that removes an entry (a comment
 * hidden) still moves it on.
 */
export function feedResponse(request: Request, feed: StoredFeed): Response {
  const validators = { etag: feed.etag, 'last-modified': new Date(feed.madeAt).toUTCString() };
  const conditional = {
    'if-none-match': request.headers.get('if-none-match') ?? undefined,
    'if-modified-since': request.headers.get('if-modified-since') ?? undefined,
    'cache-control': request.headers.get('cache-control') ?? undefined,
  };
  if (fresh(conditional, validators)) return new Response(null, { status: 304, headers: validators });
  return new Response(feed.xml, { headers: { ...validators, 'content-type': `${ATOM_TYPE}; charset=utf-8` } });
}
