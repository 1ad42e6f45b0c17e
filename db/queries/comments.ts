import 'server-only';
import { and, asc, desc, eq, gt, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { alias, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { getDb, preparedQuery } from '../index';
import { articles, commentReports, commentVotes, comments, users, type CommentStatus } from '../schema';

/*
 * Comments as readers and writes see them, one at a time or a few at once. Pages of threads
 * are in comment-threads.ts, every write in comment-writes.ts.
 */

/** The deepest level a reply is stored at (0 = thread, 1 = reply, 2 = reply to a reply). */
export const MAX_DEPTH = 2;

/** Where a comment sits in its thread (ids are database ids, or source ids while importing). */
export type Placement<Id> = { parentId: Id | null; rootId: Id | null; replyToId: Id | null; depth: number };

/**
 * Where a reply to `parent` is stored: one level below it, or, past the deepest level, beside
 * it (same parent) naming it in replyToId, so the page says "replying to NAME". Posting and
 * importing both place replies here.
 */
export function replyPlacement<Id>(parent: { id: Id; parentId: Id | null; rootId: Id; depth: number }): Placement<Id> {
  return parent.depth >= MAX_DEPTH
    ? { parentId: parent.parentId, rootId: parent.rootId, replyToId: parent.id, depth: MAX_DEPTH }
    : { parentId: parent.id, rootId: parent.rootId, replyToId: null, depth: parent.depth + 1 };
}

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
  /**
   * Why only its author sees it, if so: held for review before it showed ('held'), or hidden by
   * readers' reports until a moderator looks ('reported').
   */
  underReview: 'held' | 'reported' | null;
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
  moderationReason: comments.moderationReason,
};

type ViewRow = {
  [K in keyof typeof viewColumns]: (typeof viewColumns)[K]['_']['data'] | (K extends 'authorName' | 'replyToName' | 'parentId' | 'rootId' | 'replyToId' | 'questionId' | 'editedAt' | 'featuredAt' | 'moderationReason' ? null : never);
};

export function toView(row: ViewRow): CommentView {
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
    underReview: row.status === 'pending' ? 'held' : isHiddenByReports(row) ? 'reported' : null,
  };
}

/** Hidden by readers' reports, and no moderator has decided yet: its author still sees it. */
function isHiddenByReports(row: { status: CommentStatus; moderationReason: string | null }): boolean {
  return row.status === 'hidden' && row.moderationReason === 'reports';
}

export function selectViews() {
  return getDb()
    .select(viewColumns)
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .leftJoin(replyTo, eq(replyTo.id, comments.replyToId))
    .leftJoin(replyToAuthor, eq(replyToAuthor.id, replyTo.authorId));
}

/**
 * Who sees what: everyone sees visible comments and deleted placeholders; a comment held for
 * review, or hidden by readers' reports until a moderator looks, is shown to its author alone,
 * marked as such. `table` names another copy of comments (an alias in a subquery).
 */
export function shownTo(viewerId?: string | null, table: { status: AnySQLiteColumn; moderationReason: AnySQLiteColumn; authorId: AnySQLiteColumn } = comments): SQL {
  const everyone = inArray(table.status, ['visible', 'deleted']);
  if (!viewerId) return everyone;
  const underReview = or(eq(table.status, 'pending'), and(eq(table.status, 'hidden'), eq(table.moderationReason, 'reports')));
  return or(everyone, and(eq(table.authorId, viewerId), underReview))!;
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
  /** Its text was deleted by the retention job (a rejected comment past RETAIN_REJECTED_DAYS). */
  emptied: boolean;
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
      // A comment is never saved empty (validation): empty is what the retention job leaves.
      emptied: sql<number>`${comments.bodyMarkdown} = ''`,
    })
    .from(comments)
    .where(eq(comments.id, id))
    .get();
  return row ? { ...row, rootId: row.rootId ?? row.id, emptied: row.emptied === 1 } : null;
}

// Every write answers with the comment it changed: compiled once (db/index.ts, preparedQuery).
const viewById = preparedQuery(() => selectViews().where(eq(comments.id, sql.placeholder('id'))).prepare());

export function getCommentView(id: number): CommentView | null {
  const row = viewById().get({ id });
  return row ? toView(row) : null;
}

/** The comment a reader already posted with this form token, if any. */
const byClientToken = preparedQuery((db) =>
  db
    .select({ id: comments.id })
    .from(comments)
    .where(and(eq(comments.authorId, sql.placeholder('authorId')), eq(comments.clientToken, sql.placeholder('clientToken'))))
    .prepare(),
);

export function findByClientToken(authorId: string, clientToken: string): number | null {
  return byClientToken().get({ authorId, clientToken })?.id ?? null;
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

/**
 * Shown to everyone as a comment, not a placeholder: what the live count, "N new comments" and
 * the comments feed list. Held, hidden (by reports, a moderator or a ban), rejected and deleted
 * comments are not.
 */
const listedForEveryone = () => eq(comments.status, 'visible');

/** Comments shown in the article with an id above `afterId`: what a live reader has not seen. */
export function countCommentsAfter(articleId: number, afterId: number): { count: number; latestId: number } {
  const row = getDb()
    .select({ count: sql<number>`count(*)`, latestId: sql<number | null>`max(${comments.id})` })
    .from(comments)
    .where(and(eq(comments.articleId, articleId), gt(comments.id, afterId), listedForEveryone()))
    .get();
  return { count: row?.count ?? 0, latestId: row?.latestId ?? afterId };
}

/**
 * The comments that arrived after `afterId` (the ones the live count counts: shown to everyone),
 * oldest first, at most `limit`: what "N new comments" shows.
 */
export function commentsAfter(articleId: number, afterId: number, limit: number): CommentView[] {
  return selectViews()
    .where(and(eq(comments.articleId, articleId), gt(comments.id, afterId), listedForEveryone()))
    .orderBy(asc(comments.id))
    .limit(limit)
    .all()
    .map(toView);
}

/** The newest comments shown to everyone, newest first, at most `limit`: the article's comments feed. */
export function newestListedComments(articleId: number, limit: number): CommentView[] {
  return selectViews()
    .where(and(eq(comments.articleId, articleId), listedForEveryone()))
    .orderBy(desc(comments.id))
    .limit(limit)
    .all()
    .map(toView);
}

/**
 * The newest comment this reader can see, where the live client starts counting. Held comments
 * are left out, so a signed-out page does not reveal their ids.
 */
export function latestCommentId(articleId: number, viewerId?: string | null): number {
  const row = getDb()
    .select({ id: comments.id })
    .from(comments)
    .where(and(eq(comments.articleId, articleId), shownTo(viewerId)))
    .orderBy(desc(comments.id))
    .limit(1)
    .get();
  return row?.id ?? 0;
}

export function hasReported(userId: string, commentIds: number[]): Set<number> {
  if (commentIds.length === 0) return new Set();
  const rows = getDb()
    .select({ commentId: commentReports.commentId })
    .from(commentReports)
    .where(and(eq(commentReports.userId, userId), inArray(commentReports.commentId, commentIds)))
    .all();
  return new Set(rows.map((r) => r.commentId));
}

/** Has this reader a comment that was shown (approved) before? The "first comment" policy asks. */
export function hasApprovedComment(authorId: string): boolean {
  return (
    getDb()
      .select({ id: comments.id })
      .from(comments)
      .where(and(eq(comments.authorId, authorId), eq(comments.status, 'visible')))
      .limit(1)
      .get() !== undefined
  );
}

/** The same text from the same reader since `since`: a repeated post. */
export function recentDuplicate(authorId: string, bodyMarkdown: string, since: Date): boolean {
  return (
    getDb()
      .select({ id: comments.id })
      .from(comments)
      .where(and(eq(comments.authorId, authorId), gt(comments.createdAt, since), eq(comments.bodyMarkdown, bodyMarkdown)))
      .limit(1)
      .get() !== undefined
  );
}

export function getCommentArticleSlug(commentId: number): string | null {
  return (
    getDb()
      .select({ slug: articles.slug })
      .from(comments)
      .innerJoin(articles, eq(articles.id, comments.articleId))
      .where(eq(comments.id, commentId))
      .get()?.slug ?? null
  );
}

// Every signed-in page load reads the reader's marks: compiled once (db/index.ts, preparedQuery).
const ownOnArticle = preparedQuery((db) =>
  db
    .select({ id: comments.id, status: comments.status, moderationReason: comments.moderationReason })
    .from(comments)
    .where(and(eq(comments.authorId, sql.placeholder('userId')), eq(comments.articleId, sql.placeholder('articleId'))))
    .prepare(),
);
const markedOnArticle = (table: typeof commentVotes | typeof commentReports) =>
  preparedQuery((db) =>
    db
      .select({ id: table.commentId })
      .from(table)
      .innerJoin(comments, eq(comments.id, table.commentId))
      .where(and(eq(table.userId, sql.placeholder('userId')), eq(comments.articleId, sql.placeholder('articleId'))))
      .prepare(),
  );
const votedOnArticle = markedOnArticle(commentVotes);
const reportedOnArticle = markedOnArticle(commentReports);

/**
 * One reader's marks on one article's discussion, whichever comments a page shows: their own
 * comments (and which of those wait for review), the comments they up-voted and reported.
 * What a shared page of the discussion needs to be drawn as theirs.
 */
export function readerMarks(userId: string, articleId: number): { ownIds: number[]; heldIds: number[]; votedIds: number[]; reportedIds: number[] } {
  const own = ownOnArticle().all({ userId, articleId });
  return {
    ownIds: own.filter((c) => c.status !== 'deleted').map((c) => c.id),
    // Held, or hidden by reports: shown to them alone, so never in the page cached for everyone.
    heldIds: own.filter((c) => c.status === 'pending' || isHiddenByReports(c)).map((c) => c.id),
    votedIds: votedOnArticle().all({ userId, articleId }).map((r) => r.id),
    reportedIds: reportedOnArticle().all({ userId, articleId }).map((r) => r.id),
  };
}
