import 'server-only';
import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { getDb } from '../index';
import { comments } from '../schema';
import type { ThreadSort } from '../comment-order';
import { selectViews, shownTo, toView, type CommentView, type Thread } from './comments';

export { THREAD_SORTS, type ThreadSort } from '../comment-order';

/* Keyset cursors: "<key>.<id>", the sort key and id of the last thread on the previous page. */
export type Cursor = { key: number; id: number };

export function encodeCursor(sort: ThreadSort, comment: { createdAt: Date; score: number; id: number }): string {
  return `${sort === 'top' ? comment.score : comment.createdAt.getTime()}.${comment.id}`;
}

export function decodeCursor(value: string | undefined | null): Cursor | null {
  const match = /^(-?\d{1,16})\.(\d{1,12})$/.exec(value ?? '');
  return match ? { key: Number(match[1]), id: Number(match[2]) } : null;
}

function afterCursor(sort: ThreadSort, cursor: Cursor): SQL | undefined {
  if (sort === 'oldest') {
    const at = new Date(cursor.key);
    return or(gt(comments.createdAt, at), and(eq(comments.createdAt, at), gt(comments.id, cursor.id)));
  }
  if (sort === 'newest') {
    const at = new Date(cursor.key);
    return or(lt(comments.createdAt, at), and(eq(comments.createdAt, at), lt(comments.id, cursor.id)));
  }
  return or(lt(comments.score, cursor.key), and(eq(comments.score, cursor.key), lt(comments.id, cursor.id)));
}

function threadOrder(sort: ThreadSort) {
  if (sort === 'oldest') return [asc(comments.createdAt), asc(comments.id)];
  if (sort === 'newest') return [desc(comments.createdAt), desc(comments.id)];
  return [desc(comments.score), desc(comments.id)];
}

export type ThreadPage = { threads: Thread[]; nextCursor: string | null };

/**
 * One page of threads in the chosen order, each with all its replies. Two indexed queries
 * whatever the size of the discussion: the threads by keyset, then their replies by rootId.
 */
const REPLY = 'shown_reply';
const reply = alias(comments, REPLY);

/**
 * A thread the list draws: one whose top comment is not deleted, or has a reply under it that
 * is shown and not deleted. The list leaves no placeholder for a deleted comment with nothing
 * under it (thread-list.tsx), so counting those would make a page of twenty show fewer.
 */
function drawnThread(viewerId?: string | null): SQL {
  return sql`(${comments.status} <> 'deleted' or exists (select 1 from ${comments} ${sql.identifier(REPLY)} where ${reply.rootId} = ${comments.id} and ${reply.parentId} is not null and ${reply.status} <> 'deleted' and ${shownTo(viewerId, reply)}))`;
}

export function listThreads(input: {
  articleId: number;
  sort: ThreadSort;
  cursor?: Cursor | null;
  limit: number;
  /** Only the threads that answer this question. */
  questionId?: number | null;
  /** The signed-in reader, who also sees their own comments awaiting review. */
  viewerId?: string | null;
}): ThreadPage {
  const { articleId, sort, cursor, limit, questionId, viewerId } = input;
  const rows = selectViews()
    .where(
      and(
        eq(comments.articleId, articleId),
        questionId ? eq(comments.questionId, questionId) : undefined,
        isNull(comments.parentId),
        shownTo(viewerId),
        drawnThread(viewerId),
        cursor ? afterCursor(sort, cursor) : undefined,
      ),
    )
    .orderBy(...threadOrder(sort))
    .limit(limit + 1)
    .all();
  const roots = rows.slice(0, limit).map(toView);
  const last = rows.length > limit ? roots[roots.length - 1] : undefined;

  const replies = roots.length
    ? selectViews()
        .where(and(inArray(comments.rootId, roots.map((r) => r.id)), sql`${comments.parentId} is not null`, shownTo(viewerId)))
        .orderBy(asc(comments.createdAt), asc(comments.id))
        .all()
        .map(toView)
    : [];
  const byRoot = new Map<number, CommentView[]>();
  for (const reply of replies) byRoot.set(reply.rootId, [...(byRoot.get(reply.rootId) ?? []), reply]);

  return {
    threads: roots.map((root) => ({ ...root, replies: byRoot.get(root.id) ?? [] })),
    nextCursor: last ? encodeCursor(sort, last) : null,
  };
}

/**
 * The cursor that makes a page start at the thread holding `commentId` (for permalinks), or
 * null when the comment is not shown in this article.
 */
export function cursorBeforeThreadOf(
  articleId: number,
  commentId: number,
  sort: ThreadSort,
  viewerId?: string | null,
): { cursor: string | null } | null {
  const db = getDb();
  const target = db
    .select({ rootId: comments.rootId, id: comments.id })
    .from(comments)
    .where(and(eq(comments.id, commentId), eq(comments.articleId, articleId), shownTo(viewerId)))
    .get();
  if (!target) return null;
  const root = db
    .select({ id: comments.id, createdAt: comments.createdAt, score: comments.score })
    .from(comments)
    .where(eq(comments.id, target.rootId ?? target.id))
    .get();
  if (!root) return null;
  const before = db
    .select({ id: comments.id, createdAt: comments.createdAt, score: comments.score })
    .from(comments)
    .where(
      and(
        eq(comments.articleId, articleId),
        isNull(comments.parentId),
        shownTo(viewerId),
        // The thread just before the root, in this order: reverse the comparison and the order.
        sort === 'oldest'
          ? or(lt(comments.createdAt, root.createdAt), and(eq(comments.createdAt, root.createdAt), lt(comments.id, root.id)))
          : sort === 'newest'
            ? or(gt(comments.createdAt, root.createdAt), and(eq(comments.createdAt, root.createdAt), gt(comments.id, root.id)))
            : or(gt(comments.score, root.score), and(eq(comments.score, root.score), gt(comments.id, root.id))),
      ),
    )
    .orderBy(
      ...(sort === 'oldest'
        ? [desc(comments.createdAt), desc(comments.id)]
        : sort === 'newest'
          ? [asc(comments.createdAt), asc(comments.id)]
          : [asc(comments.score), asc(comments.id)]),
    )
    .limit(1)
    .get();
  return { cursor: before ? encodeCursor(sort, before) : null };
}

/**
 * The cursor a page of this discussion ends at for signed-out readers, as it is spelled now,
 * for the thread `value` names (a thread everyone sees, in this article, answering this
 * question if one), or null when there is no such thread. A "top" cursor carries the thread's
 * score, so an older link names the same thread with a stale score.
 */
export function currentThreadCursor(articleId: number, sort: ThreadSort, value: string, questionId?: number | null): string | null {
  const cursor = decodeCursor(value);
  if (!cursor) return null;
  const thread = getDb()
    .select({ id: comments.id, createdAt: comments.createdAt, score: comments.score })
    .from(comments)
    .where(
      and(
        eq(comments.id, cursor.id),
        eq(comments.articleId, articleId),
        isNull(comments.parentId),
        shownTo(null),
        questionId ? eq(comments.questionId, questionId) : undefined,
      ),
    )
    .get();
  return thread ? encodeCursor(sort, thread) : null;
}
