'use server';

import { getArticleBySlug } from '@/db/queries/articles';
import { commentsAfter } from '@/db/queries/comments';
import { getCurrentUser } from '@/app/_lib/auth/session';
import { loadDiscussion } from '@/app/_lib/comments/discussion';
import { parseView } from '@/app/_lib/comments/view';
import { readerLayer } from '@/app/_lib/comments/reader-layer';
import { ThreadList, discussionContext } from './thread-list';
import { CommentItem } from './comment-item';

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

/** How many new comments one press of "N new comments" shows at most. */
const NEW_AT_ONCE = 20;

/**
 * The comments that arrived since `since` (the page's newest), for "N new comments": each one
 * rendered, and whether it belongs on the page of the discussion the reader has open (`query`,
 * its order, question and page). Those are drawn in place by a refresh; the others are shown in
 * the "New since you arrived" strip, with ids of their own so the page's stay unique.
 */
export async function loadNewComments(slug: string, query: string, since: number) {
  const article = getArticleBySlug(String(slug));
  const after = Number(since);
  if (!article || !Number.isSafeInteger(after) || after < 0) return null;
  const viewer = await getCurrentUser();
  const view = parseView(new URLSearchParams(String(query)));
  const data = loadDiscussion(article, view, viewer);
  const onPage = new Set(view.comment ? [] : data.threads.flatMap((thread) => [thread.id, ...thread.replies.map((reply) => reply.id)]));
  const context = { ...discussionContext(article, data, readerLayer(viewer, article)), anchorPrefix: 'new' };
  return commentsAfter(article.id, after, NEW_AT_ONCE).map((comment) => ({
    id: comment.id,
    inPlace: onPage.has(comment.id),
    node: <CommentItem comment={comment} context={context} />,
  }));
}
