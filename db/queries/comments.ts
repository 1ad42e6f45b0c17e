import 'server-only';
import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { getDb, type Tx } from '../index';
import { articles, commentDrafts, commentVotes, comments, questions, users, type CommentStatus } from '../schema';

import type { ThreadSort } from '../comment-order';

export { THREAD_SORTS, type ThreadSort } from '../comment-order';

/** The deepest level a reply is stored at (0 = thread, 1 = reply, 2 = reply to a reply). */
export const MAX_DEPTH = 2;

/** A comment as pages and the API show it. The author is a name, never an email. */
export type CommentView = {
  id: number;
  parentId: number | null;
  rootId: number;
  depth: number;
  authorId: string;
  authorName: string;
  replyTo: { id: number; authorName: string } | null;
  questionId: number | null;
  /** The Markdown source, for the author's edit box. */
  markdown: string;
  html: string;
  status: CommentStatus;
  score: number;
  createdAt: Date;
  editedAt: Date | null;
  /** An editor's pick. */
  featured: boolean;
};

export type Thread = CommentView & { replies: CommentView[] };

const replyTo = alias(comments, 'reply_to');
const replyToAuthor = alias(users, 'reply_to_author');

const viewColumns = {
  id: comments.id,
  parentId: comments.parentId,
  rootId: comments.rootId,
  depth: comments.depth,
  authorId: comments.authorId,
  authorName: users.name,
  replyToId: comments.replyToId,
  replyToName: replyToAuthor.name,
  questionId: comments.questionId,
  markdown: comments.bodyMarkdown,
  html: comments.bodyHtml,
  status: comments.status,
  score: comments.score,
  createdAt: comments.createdAt,
  editedAt: comments.editedAt,
  featuredAt: comments.featuredAt,
};

type ViewRow = {
  [K in keyof typeof viewColumns]: (typeof viewColumns)[K]['_']['data'] | (K extends 'authorName' | 'replyToName' | 'parentId' | 'rootId' | 'replyToId' | 'questionId' | 'editedAt' | 'featuredAt' ? null : never);
};

function toView(row: ViewRow): CommentView {
  const deleted = row.status === 'deleted';
  return {
    id: row.id,
    parentId: row.parentId,
    rootId: row.rootId ?? row.id,
    depth: row.depth,
    authorId: row.authorId,
    authorName: deleted ? '' : row.authorName?.trim() || 'Reader',
    replyTo: row.replyToId ? { id: row.replyToId, authorName: row.replyToName?.trim() || 'Reader' } : null,
    questionId: row.questionId,
    markdown: deleted ? '' : row.markdown,
    html: deleted ? '' : row.html,
    status: row.status,
    score: row.score,
    createdAt: row.createdAt,
    editedAt: row.editedAt,
    featured: row.featuredAt !== null && row.status === 'visible',
  };
}

function selectViews() {
  return getDb()
    .select(viewColumns)
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .leftJoin(replyTo, eq(replyTo.id, comments.replyToId))
    .leftJoin(replyToAuthor, eq(replyToAuthor.id, replyTo.authorId));
}

/**
 * Who sees what: everyone sees visible comments and deleted placeholders; a held comment is
 * shown to its author alone, marked as awaiting review.
 */
function shownTo(viewerId?: string | null): SQL {
  const everyone = inArray(comments.status, ['visible', 'deleted']);
  return viewerId ? or(everyone, and(eq(comments.status, 'pending'), eq(comments.authorId, viewerId)))! : everyone;
}

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
 * Whether `value` is the cursor a page of this discussion ends at for signed-out readers: the
 * exact key of a thread everyone sees, in this order (and answering this question, if one).
 */
export function isThreadCursor(articleId: number, sort: ThreadSort, value: string, questionId?: number | null): boolean {
  const cursor = decodeCursor(value);
  if (!cursor) return false;
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
  return thread !== undefined && encodeCursor(sort, thread) === value;
}

/** What a write needs to know about a comment to authorize and place it. */
export type CommentForWrite = {
  id: number;
  articleId: number;
  authorId: string;
  parentId: number | null;
  rootId: number;
  depth: number;
  questionId: number | null;
  status: CommentStatus;
};

export function getCommentForWrite(id: number): CommentForWrite | null {
  const row = getDb()
    .select({
      id: comments.id,
      articleId: comments.articleId,
      authorId: comments.authorId,
      parentId: comments.parentId,
      rootId: comments.rootId,
      depth: comments.depth,
      questionId: comments.questionId,
      status: comments.status,
    })
    .from(comments)
    .where(eq(comments.id, id))
    .get();
  return row ? { ...row, rootId: row.rootId ?? row.id } : null;
}

export function getCommentView(id: number): CommentView | null {
  const row = selectViews().where(eq(comments.id, id)).get();
  return row ? toView(row) : null;
}

/**
 * Keeps the article's comment count and the question's answer count in step when a comment
 * becomes visible (+1) or stops being visible (-1). Call inside the write's transaction.
 */
export function adjustVisibleCounts(
  tx: Tx,
  comment: { articleId: number; parentId: number | null; questionId: number | null },
  delta: 1 | -1,
): void {
  tx.update(articles)
    .set({ commentCount: sql`max(${articles.commentCount} + ${delta}, 0)` })
    .where(eq(articles.id, comment.articleId))
    .run();
  if (comment.parentId === null && comment.questionId !== null) {
    tx.update(questions)
      .set({ answerCount: sql`max(${questions.answerCount} + ${delta}, 0)` })
      .where(eq(questions.id, comment.questionId))
      .run();
  }
}

export type NewComment = {
  articleId: number;
  authorId: string;
  parentId: number | null;
  rootId: number | null;
  replyToId: number | null;
  depth: number;
  questionId: number | null;
  bodyMarkdown: string;
  bodyHtml: string;
  status: CommentStatus;
  moderationReason?: string | null;
  clientToken: string | null;
};

/** The comment a reader already posted with this form token, if any. */
export function findByClientToken(authorId: string, clientToken: string): number | null {
  return (
    getDb()
      .select({ id: comments.id })
      .from(comments)
      .where(and(eq(comments.authorId, authorId), eq(comments.clientToken, clientToken)))
      .get()?.id ?? null
  );
}

/**
 * Stores a comment and keeps the article's count in step, in one transaction. A second
 * submit with the same author and form token returns the first comment instead of a copy.
 */
export function insertComment(input: NewComment): { id: number; duplicate: boolean } {
  return getDb().transaction(
    (tx) => {
      if (input.clientToken) {
        const existing = tx
          .select({ id: comments.id })
          .from(comments)
          .where(and(eq(comments.authorId, input.authorId), eq(comments.clientToken, input.clientToken)))
          .get();
        if (existing) return { id: existing.id, duplicate: true };
      }
      const { id } = tx.insert(comments).values(input).returning({ id: comments.id }).get();
      if (input.rootId === null) tx.update(comments).set({ rootId: id }).where(eq(comments.id, id)).run();
      if (input.status === 'visible') adjustVisibleCounts(tx, input, 1);
      return { id, duplicate: false };
    },
    { behavior: 'immediate' },
  );
}

export function updateCommentBody(id: number, bodyMarkdown: string, bodyHtml: string): void {
  getDb()
    .update(comments)
    .set({ bodyMarkdown, bodyHtml, editedAt: sql`(unixepoch('subsec') * 1000)` })
    .where(eq(comments.id, id))
    .run();
}

/** Soft delete: the text goes, the row stays so replies keep their place. */
export function softDeleteComment(id: number): void {
  getDb().transaction(
    (tx) => {
      const row = tx
        .select({ status: comments.status, articleId: comments.articleId, parentId: comments.parentId, questionId: comments.questionId })
        .from(comments)
        .where(eq(comments.id, id))
        .get();
      if (!row || row.status === 'deleted') return;
      tx.update(comments)
        .set({ status: 'deleted', bodyMarkdown: '', bodyHtml: '', deletedAt: sql`(unixepoch('subsec') * 1000)` })
        .where(eq(comments.id, id))
        .run();
      if (row.status === 'visible') adjustVisibleCounts(tx, row, -1);
    },
    { behavior: 'immediate' },
  );
}

/** Adds the reader's up-vote, or takes it back if present. Returns the new state and score. */
export function toggleVote(commentId: number, userId: string, want?: boolean): { voted: boolean; score: number } {
  return getDb().transaction(
    (tx) => {
      const existing = tx
        .select({ commentId: commentVotes.commentId })
        .from(commentVotes)
        .where(and(eq(commentVotes.commentId, commentId), eq(commentVotes.userId, userId)))
        .get();
      const voted = want ?? !existing;
      if (voted && !existing) {
        tx.insert(commentVotes).values({ commentId, userId }).run();
        tx.update(comments).set({ score: sql`${comments.score} + 1` }).where(eq(comments.id, commentId)).run();
      } else if (!voted && existing) {
        tx.delete(commentVotes)
          .where(and(eq(commentVotes.commentId, commentId), eq(commentVotes.userId, userId)))
          .run();
        tx.update(comments).set({ score: sql`max(${comments.score} - 1, 0)` }).where(eq(comments.id, commentId)).run();
      }
      const { score } = tx.select({ score: comments.score }).from(comments).where(eq(comments.id, commentId)).get()!;
      return { voted, score };
    },
    { behavior: 'immediate' },
  );
}

/** Editor's picks of this article, newest pick first. */
export function listFeatured(articleId: number, limit = 5): CommentView[] {
  return selectViews()
    .where(and(eq(comments.articleId, articleId), eq(comments.status, 'visible'), sql`${comments.featuredAt} is not null`))
    .orderBy(desc(comments.featuredAt))
    .limit(limit)
    .all()
    .map(toView);
}

export type TopAnswer = { id: number; authorName: string; markdown: string; score: number };

/** The most up-voted visible answer to each question (the earliest on a tie). */
export function topAnswers(articleId: number, questionIds: number[]): Map<number, TopAnswer> {
  const result = new Map<number, TopAnswer>();
  for (const questionId of questionIds) {
    const row = getDb()
      .select({ id: comments.id, authorName: users.name, markdown: comments.bodyMarkdown, score: comments.score })
      .from(comments)
      .innerJoin(users, eq(users.id, comments.authorId))
      .where(
        and(
          eq(comments.articleId, articleId),
          eq(comments.questionId, questionId),
          isNull(comments.parentId),
          eq(comments.status, 'visible'),
        ),
      )
      .orderBy(desc(comments.score), asc(comments.id))
      .limit(1)
      .get();
    if (row) result.set(questionId, { ...row, authorName: row.authorName?.trim() || 'Reader' });
  }
  return result;
}

/** Which of these comments the reader has up-voted. */
export function votedCommentIds(userId: string, commentIds: number[]): Set<number> {
  if (commentIds.length === 0) return new Set();
  const rows = getDb()
    .select({ commentId: commentVotes.commentId })
    .from(commentVotes)
    .where(and(eq(commentVotes.userId, userId), inArray(commentVotes.commentId, commentIds)))
    .all();
  return new Set(rows.map((r) => r.commentId));
}

/** Comments shown in the article with an id above `afterId`: what a live reader has not seen. */
export function countCommentsAfter(articleId: number, afterId: number): { count: number; latestId: number } {
  const row = getDb()
    .select({ count: sql<number>`count(*)`, latestId: sql<number | null>`max(${comments.id})` })
    .from(comments)
    .where(and(eq(comments.articleId, articleId), gt(comments.id, afterId), eq(comments.status, 'visible')))
    .get();
  return { count: row?.count ?? 0, latestId: row?.latestId ?? afterId };
}

export function latestCommentId(articleId: number): number {
  const row = getDb()
    .select({ id: comments.id })
    .from(comments)
    .where(eq(comments.articleId, articleId))
    .orderBy(desc(comments.id))
    .limit(1)
    .get();
  return row?.id ?? 0;
}

/* Drafts typed before signing in. */
export function saveDraft(token: string, articleId: number, body: string): void {
  getDb().insert(commentDrafts).values({ token, articleId, body }).run();
}

export function readDraft(token: string, articleId: number): string | null {
  const dayAgo = new Date(Date.now() - 24 * 60 * 60 * 1000);
  const row = getDb()
    .select({ body: commentDrafts.body })
    .from(commentDrafts)
    .where(and(eq(commentDrafts.token, token), eq(commentDrafts.articleId, articleId), gt(commentDrafts.createdAt, dayAgo)))
    .get();
  return row?.body ?? null;
}

export function deleteDraft(token: string): void {
  getDb().delete(commentDrafts).where(eq(commentDrafts.token, token)).run();
}
