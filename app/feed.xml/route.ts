import { siteFeedXml } from '@/app/_lib/feeds/atom';
import { feedResponse, feedTags, storedFeed } from '@/app/_lib/feeds/serve';
import { latestOutsideChange } from '@/app/_lib/http/outside-changes.mjs';

/** The site's articles as an Atom feed (app/_lib/feeds/serve.ts says how it is cached and answered). */
export async function GET(request: Request) {
  const feed = await storedFeed('site', [feedTags.site], siteFeedXml, latestOutsideChange());
  return feed ? feedResponse(request, feed) : new Response('The feed is not available.', { status: 404 });
}
