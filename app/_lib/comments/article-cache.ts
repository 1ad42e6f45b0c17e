import 'server-only';
import { revalidatePath, revalidateTag } from 'next/cache';
import { after } from 'next/server';
import { articlePath } from '../content/site';
import { cardPath } from '../content/card';
import { rateLimits } from '../limit-settings';
import { coalescer } from './coalesce';
import { markChanged, markWritten } from '../http/shared-pages.mjs';
import { feedTags } from '../feeds/serve';

/** A feed's next request makes it anew (as revalidatePath does for a page), not after serving the old one once. */
const NOW = { expire: 0 };

/**
 * Signed-out searches' stored results (app/search/results/[key]): any of them may list a
 * comment of any article, so a change to one article makes them all stale. Only the searches
 * asked for again are rendered again.
 */
const SEARCH_RESULTS_ROUTE = '/search/results/[key]';

const coalesce = coalescer(() => rateLimits().revalidateWindowMs, after);

/*
 * Signed-in readers get these same cached pages with their own parts written in
 * (app/_lib/http/shared-pages.mjs): a page counts as current once it was stored after its
 * article's last refresh below, and after the reader's own last write, which is noted at once,
 * so the writer never waits for the window to see what they did.
 */
function noteWriter(writer: string | null): void {
  if (writer) markWritten(writer);
}

/**
 * Invalidates the cached pages a write changed, at most once per window per article
 * (REVALIDATE_WINDOW_MS in app/_lib/limits.ts): a burst of votes costs one re-render, and the
 * last write of the burst is shown when the window ends. An object, so integration tests outside
 * a Next server can record the calls instead.
 */
export const articleCache = {
  /**
   * The article's own page, its social card (which shows the comment count), its comments feed
   * (app/_lib/feeds), the stored searches, and the ?sort / ?after / ?comment views of every article: Next tags a
   * cached page by its route (/articles/[slug]/view/[view]), so one article's views cannot be
   * singled out. They are rendered again only when next asked for.
   */
  revalidate(slug: string, writer: string | null = null): void {
    noteWriter(writer);
    coalesce(slug, () => {
      markChanged(slug);
      revalidatePath(articlePath(slug));
      revalidatePath(cardPath(slug));
      revalidatePath('/articles/[slug]/view/[view]', 'page');
      revalidatePath(SEARCH_RESULTS_ROUTE, 'page');
      revalidateTag(feedTags.comments(slug), NOW);
    });
  },
  /** After a change that touches many articles at once (a ban that hides a reader's comments). */
  revalidateAll(writer: string | null = null): void {
    noteWriter(writer);
    coalesce('/articles/*', () => {
      markChanged('*');
      revalidatePath('/articles/[slug]', 'page');
      revalidatePath('/articles/[slug]/view/[view]', 'page');
      // Every card: a route handler's own tag is its folder's "layout" (Next's implicit tags).
      revalidatePath('/articles/[slug]/card.png', 'layout');
      revalidatePath(SEARCH_RESULTS_ROUTE, 'page');
      revalidateTag(feedTags.allComments, NOW);
    });
  },
  /** After a change shown on every page (a reader's new name, in the header and beside comments). */
  revalidateSite(writer: string | null = null): void {
    noteWriter(writer);
    coalesce('/*', () => {
      markChanged('*');
      revalidatePath('/', 'layout');
      // A reader's new name is in the comments feeds too; the site feed names no reader.
      revalidateTag(feedTags.allComments, NOW);
    });
  },
};
