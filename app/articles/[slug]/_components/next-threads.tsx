'use server';

import { getArticleBySlug } from '@/db/queries/articles';
import { getCurrentUser } from '@/app/_lib/auth/session';
import { loadDiscussion } from '@/app/_lib/comments/discussion';
import { parseView } from '@/app/_lib/comments/view';
import { readerLayer } from '@/app/_lib/comments/reader-layer';
import { ThreadList } from './thread-list';

/**
 * The next page of threads, rendered on the server, for "Load more" in place. A read, so it
 * lives apart from the mutations in ../actions.ts, which the thread list's forms import.
 */
export async function loadMoreThreads(slug: string, query: string) {
  const article = getArticleBySlug(String(slug));
  if (!article) return null;
  const viewer = await getCurrentUser();
  const view = parseView(new URLSearchParams(String(query)));
  const data = loadDiscussion(article, { ...view, comment: null }, viewer);
  return {
    nextCursor: data.nextCursor,
    content: <ThreadList article={article} data={data} layer={readerLayer(viewer, article)} />,
  };
}
