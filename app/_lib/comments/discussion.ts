import 'server-only';
import type { ArticlePage } from '@/db/queries/articles';
import {
  cursorBeforeThreadOf,
  decodeCursor,
  latestCommentId,
  listThreads,
  votedCommentIds,
  type Thread,
} from '@/db/queries/comments';
import type { UserSummary } from '@/db/queries/users';
import type { DiscussionView } from './view';

export const THREADS_PER_PAGE = 20;

export type DiscussionData = {
  view: DiscussionView;
  threads: Thread[];
  nextCursor: string | null;
  /** True when the page does not start at the first thread (a cursor or a permalink). */
  startsLater: boolean;
  /** A permalink to a comment that is not (or no longer) shown here. */
  missingComment: boolean;
  votedIds: Set<number>;
  latestId: number;
};

/** Everything the discussion section draws for one view, for one reader (or none). */
export function loadDiscussion(article: ArticlePage, view: DiscussionView, viewer: UserSummary | null): DiscussionData {
  let cursorValue = view.after;
  let missingComment = false;
  if (view.comment) {
    const found = cursorBeforeThreadOf(article.id, view.comment, view.sort);
    if (found) cursorValue = found.cursor;
    else missingComment = true;
  }
  const cursor = decodeCursor(cursorValue);
  const page = listThreads({ articleId: article.id, sort: view.sort, cursor, limit: THREADS_PER_PAGE });
  const ids = page.threads.flatMap((t) => [t.id, ...t.replies.map((r) => r.id)]);
  return {
    view,
    ...page,
    startsLater: cursor !== null,
    missingComment,
    votedIds: viewer ? votedCommentIds(viewer.id, ids) : new Set(),
    latestId: latestCommentId(article.id),
  };
}
