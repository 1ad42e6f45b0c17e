import 'server-only';
import { and, asc, desc, eq, exists, gt, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { getDb, type Tx } from '../index';
import {
  articles,
  commentReports,
  comments,
  moderationLog,
  users,
  type CommentStatus,
  type ReportReason,
  type Role,
} from '../schema';
import { adjustVisibleCounts } from './comments';

/**
 * Reports from readers whose word counts toward auto-hide: the account was at least
 * `minAgeMs` old when it reported, and it had a comment, still shown, posted before the report.
 * Judged from stored times, so a report made by a new account never starts counting later.
 */
function trustedReports(tx: Tx, commentId: number, minAgeMs: number): number {
  const reporter = alias(users, 'reporter');
  const earlier = alias(comments, 'earlier');
  const row = tx
    .select({ count: sql<number>`count(*)` })
    .from(commentReports)
    .innerJoin(reporter, eq(reporter.id, commentReports.userId))
    .where(
      and(
        eq(commentReports.commentId, commentId),
        sql`${commentReports.createdAt} - ${reporter.createdAt} >= ${minAgeMs}`,
        exists(
          tx
            .select({ id: earlier.id })
            .from(earlier)
            .where(and(eq(earlier.authorId, commentReports.userId), eq(earlier.status, 'visible'), lte(earlier.createdAt, commentReports.createdAt))),
        ),
      ),
    )
    .get();
  return row?.count ?? 0;
}

/**
 * Reports a comment once per reader. Every report counts for the queue; at `threshold` trusted
 * reports (trustedReports) an unreviewed comment is hidden.
 */
export function reportComment(input: {
  commentId: number;
  userId: string;
  reason: ReportReason;
  details: string | null;
  threshold: number;
  reporterMinAgeMs: number;
}): { duplicate: boolean; hidden: boolean } {
  return getDb().transaction(
    (tx) => {
      const already = tx
        .select({ commentId: commentReports.commentId })
        .from(commentReports)
        .where(and(eq(commentReports.commentId, input.commentId), eq(commentReports.userId, input.userId)))
        .get();
      if (already) return { duplicate: true, hidden: false };
      tx.insert(commentReports)
        .values({ commentId: input.commentId, userId: input.userId, reason: input.reason, details: input.details })
        .run();
      const row = tx
        .update(comments)
        .set({ reportCount: sql`${comments.reportCount} + 1` })
        .where(eq(comments.id, input.commentId))
        .returning({
          reportCount: comments.reportCount,
          status: comments.status,
          reviewedAt: comments.reviewedAt,
          articleId: comments.articleId,
          parentId: comments.parentId,
          questionId: comments.questionId,
        })
        .get();
      if (!row || row.status !== 'visible' || row.reviewedAt !== null || trustedReports(tx, input.commentId, input.reporterMinAgeMs) < input.threshold) {
        return { duplicate: false, hidden: false };
      }
      tx.update(comments).set({ status: 'hidden', moderationReason: 'reports' }).where(eq(comments.id, input.commentId)).run();
      adjustVisibleCounts(tx, row, -1);
      return { duplicate: false, hidden: true };
    },
    { behavior: 'immediate' },
  );
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

/**
 * Moves a comment to a new status, keeping the visible counts in step. `reviewed` marks a
 * moderator's approval, after which reports no longer hide it.
 */
export function setCommentStatus(
  commentId: number,
  status: Exclude<CommentStatus, 'deleted'>,
  reason: string | null,
  reviewed: boolean,
): { from: CommentStatus } | null {
  return getDb().transaction(
    (tx) => {
      const row = tx
        .select({ status: comments.status, articleId: comments.articleId, parentId: comments.parentId, questionId: comments.questionId })
        .from(comments)
        .where(eq(comments.id, commentId))
        .get();
      if (!row || row.status === 'deleted') return null;
      tx.update(comments)
        .set({ status, moderationReason: status === 'visible' ? null : reason, ...(reviewed ? { reviewedAt: new Date() } : {}) })
        .where(eq(comments.id, commentId))
        .run();
      if (row.status !== 'visible' && status === 'visible') adjustVisibleCounts(tx, row, 1);
      if (row.status === 'visible' && status !== 'visible') adjustVisibleCounts(tx, row, -1);
      return { from: row.status };
    },
    { behavior: 'immediate' },
  );
}

export function setFeatured(commentId: number, featured: boolean): void {
  getDb()
    .update(comments)
    .set({ featuredAt: featured ? new Date() : null })
    .where(eq(comments.id, commentId))
    .run();
}

/** Bans a reader, optionally hiding every comment they have shown. */
export function banUser(userId: string, input: { until: Date | null; reason: string; hideComments: boolean }): { hidden: number } {
  return getDb().transaction(
    (tx) => {
      tx.update(users)
        .set({ bannedAt: new Date(), bannedUntil: input.until, banReason: input.reason })
        .where(eq(users.id, userId))
        .run();
      if (!input.hideComments) return { hidden: 0 };
      const shown = tx
        .select({ id: comments.id, articleId: comments.articleId, parentId: comments.parentId, questionId: comments.questionId })
        .from(comments)
        .where(and(eq(comments.authorId, userId), eq(comments.status, 'visible')))
        .all();
      for (const comment of shown) {
        tx.update(comments).set({ status: 'hidden', moderationReason: 'ban' }).where(eq(comments.id, comment.id)).run();
        adjustVisibleCounts(tx, comment, -1);
      }
      return { hidden: shown.length };
    },
    { behavior: 'immediate' },
  );
}

export function unbanUser(userId: string): void {
  getDb().update(users).set({ bannedAt: null, bannedUntil: null, banReason: null }).where(eq(users.id, userId)).run();
}

export type ArticleModeration = 'site' | 'off' | 'first' | 'all';

export function setArticleModeration(articleId: number, policy: ArticleModeration): void {
  getDb().update(articles).set({ moderation: policy }).where(eq(articles.id, articleId)).run();
}

export function setArticleClosed(articleId: number, closed: boolean): void {
  getDb()
    .update(articles)
    .set({ closedAt: closed ? new Date() : null })
    .where(eq(articles.id, articleId))
    .run();
}

export function getArticleModeration(articleId: number): { moderation: ArticleModeration; closedAt: Date | null } | null {
  return (
    getDb()
      .select({ moderation: articles.moderation, closedAt: articles.closedAt })
      .from(articles)
      .where(eq(articles.id, articleId))
      .get() ?? null
  );
}

export function logModeration(entry: {
  actorId: string;
  action: string;
  targetType: 'comment' | 'user' | 'article';
  targetId: string | number;
  reason?: string | null;
}): void {
  getDb()
    .insert(moderationLog)
    .values({ ...entry, targetId: String(entry.targetId), reason: entry.reason ?? null })
    .run();
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

const parent = alias(comments, 'parent');
const parentAuthor = alias(users, 'parent_author');

export type QueueItem = {
  id: number;
  status: CommentStatus;
  moderationReason: string | null;
  reportCount: number;
  markdown: string;
  createdAt: Date;
  featured: boolean;
  author: { id: string; name: string; role: Role; banned: boolean };
  article: { slug: string; title: string };
  parent: { id: number; authorName: string; markdown: string } | null;
  reports: { reason: ReportReason; details: string | null }[];
};

/** Held and reported comments, oldest first, with their article, author and parent. */
export function listModerationQueue(limit = 100): QueueItem[] {
  const db = getDb();
  const rows = db
    .select({
      id: comments.id,
      status: comments.status,
      moderationReason: comments.moderationReason,
      reportCount: comments.reportCount,
      markdown: comments.bodyMarkdown,
      createdAt: comments.createdAt,
      featuredAt: comments.featuredAt,
      authorId: users.id,
      authorName: users.name,
      authorRole: users.role,
      authorBannedAt: users.bannedAt,
      slug: articles.slug,
      title: articles.title,
      parentId: parent.id,
      parentMarkdown: parent.bodyMarkdown,
      parentAuthorName: parentAuthor.name,
    })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .leftJoin(parent, eq(parent.id, comments.parentId))
    .leftJoin(parentAuthor, eq(parentAuthor.id, parent.authorId))
    .where(
      or(
        eq(comments.status, 'pending'),
        and(eq(comments.status, 'hidden'), eq(comments.moderationReason, 'reports')),
        and(eq(comments.status, 'visible'), gt(comments.reportCount, 0), isNull(comments.reviewedAt)),
      ),
    )
    .orderBy(asc(comments.createdAt), asc(comments.id))
    .limit(limit)
    .all();
  const reports = rows.length
    ? db
        .select({ commentId: commentReports.commentId, reason: commentReports.reason, details: commentReports.details })
        .from(commentReports)
        .where(inArray(commentReports.commentId, rows.map((r) => r.id)))
        .all()
    : [];
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    moderationReason: r.moderationReason,
    reportCount: r.reportCount,
    markdown: r.markdown,
    createdAt: r.createdAt,
    featured: r.featuredAt !== null,
    author: { id: r.authorId, name: r.authorName ?? 'Reader', role: r.authorRole, banned: r.authorBannedAt !== null },
    article: { slug: r.slug, title: r.title },
    parent: r.parentId ? { id: r.parentId, authorName: r.parentAuthorName ?? 'Reader', markdown: r.parentMarkdown ?? '' } : null,
    reports: reports.filter((x) => x.commentId === r.id).map(({ reason, details }) => ({ reason, details })),
  }));
}

export function listBannedUsers(): { id: string; name: string; email: string | null; bannedUntil: Date | null; banReason: string | null }[] {
  return getDb()
    .select({ id: users.id, name: sql<string>`coalesce(${users.name}, 'Reader')`, email: users.email, bannedUntil: users.bannedUntil, banReason: users.banReason })
    .from(users)
    .where(isNotNull(users.bannedAt))
    .orderBy(desc(users.bannedAt))
    .all();
}

export function listModerationLog(limit = 200) {
  return getDb()
    .select({
      id: moderationLog.id,
      actorName: users.name,
      action: moderationLog.action,
      targetType: moderationLog.targetType,
      targetId: moderationLog.targetId,
      reason: moderationLog.reason,
      createdAt: moderationLog.createdAt,
    })
    .from(moderationLog)
    .innerJoin(users, eq(users.id, moderationLog.actorId))
    .orderBy(desc(moderationLog.id))
    .limit(limit)
    .all();
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

export function getUserRole(userId: string) {
  return getDb().select({ role: users.role }).from(users).where(eq(users.id, userId)).get()?.role ?? null;
}

export function setUserRole(email: string, role: 'reader' | 'moderator' | 'admin'): boolean {
  return getDb().update(users).set({ role }).where(eq(users.email, email)).returning({ id: users.id }).all().length > 0;
}
