import 'server-only';
import { revalidatePath } from 'next/cache';
import { articlePath } from '../content/site';

/**
 * Invalidates every cached view of an article after a write: the default page and the
 * ?sort / ?after / ?comment views (/articles/[slug]/view/[view]). An object, so integration
 * tests outside a Next server can record the calls instead.
 */
export const articleCache = {
  revalidate(slug: string): void {
    revalidatePath(articlePath(slug));
    revalidatePath('/articles/[slug]/view/[view]', 'page');
  },
  /** After a change that touches many articles at once (a ban that hides a reader's comments). */
  revalidateAll(): void {
    revalidatePath('/articles/[slug]', 'page');
    revalidatePath('/articles/[slug]/view/[view]', 'page');
  },
};
