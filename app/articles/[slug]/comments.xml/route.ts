import { articleExists, commentsFeedXml } from '@/app/_lib/feeds/atom';
import { feedResponse, feedTags, storedFeed } from '@/app/_lib/feeds/serve';
import { outsideChangeAt } from '@/app/_lib/http/outside-changes.mjs';

type Context = { params: Promise<{ slug: string }> };

/**
 * An article's newest comments as an Atom feed (app/_lib/feeds/serve.ts says how it is cached
 * and answered). An unknown article is a 404, looked up before the cache so it stores nothing.
 */
export async function GET(request: Request, { params }: Context) {
  const { slug } = await params;
  const feed = articleExists(slug) ? await storedFeed(`comments:${slug}`, [feedTags.comments(slug), feedTags.allComments], () => commentsFeedXml(slug), outsideChangeAt(slug)) : null;
  if (!feed) return new Response('There is no article at this address.', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return feedResponse(request, feed);
}
