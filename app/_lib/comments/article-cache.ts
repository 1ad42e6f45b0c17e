import 'server-only';
import { revalidatePath } from 'next/cache';
import { after } from 'next/server';
import { articlePath } from '../content/site';
import { rateLimits } from '../limits';
import { coalescer } from './coalesce';

const coalesce = coalescer(() => rateLimits().revalidateWindowMs, after);

/**
 * Invalidates the cached pages a write changed, at most once per window per article
 * (REVALIDATE_WINDOW_MS in app/_lib/limits.ts): a burst of votes costs one re-render, and the
 * last write of the burst is shown when the window ends. An object, so integration tests outside
 * a Next server can record the calls instead.
 */
export const articleCache = {
  /**
   * The article's own page, and the ?sort / ?after / ?comment views of every article: Next tags
   * a cached page by its route (/articles/[slug]/view/[view]), so one article's views cannot
   * be singled out. They are rendered again only when next asked for.
   */
  revalidate(slug: string): void {
    coalesce(slug, () => {
      revalidatePath(articlePath(slug));
      revalidatePath('/articles/[slug]/view/[view]', 'page');
    });
  },
  /** After a change that touches many articles at once (a ban that hides a reader's comments). */
  revalidateAll(): void {
    coalesce('/articles/*', () => {
      revalidatePath('/articles/[slug]', 'page');
      revalidatePath('/articles/[slug]/view/[view]', 'page');
    });
  },
  /** After a change shown on every page (a reader's new name, in the header and beside comments). */
  revalidateSite(): void {
    coalesce('/*', () => revalidatePath('/', 'layout'));
  },
};
