import 'server-only';
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { ArticlePolicy } from '../enums';
import { getDb } from '../index';
import { articles, commentReports, comments, users, type CommentStatus, type ReportReason, type Role } from '../schema';
import { recordAudit, type AuditEntry } from './audit';
import { adjustVisibleCounts } from './comment-writes';
import { listEarlierVersions, type CommentVersionView } from './comment-versions';

/*
 * Moderation of readers and articles, and the moderators' queue. Each write stores its audit
 * entry in the same transaction. Moderation of single comments is in comment-writes.ts.
 */

/** Bans a reader, optionally hiding every comment they have shown. */
export function banUser(
  userId: string,
  input: { until: Date | null; reason: string; hideComments: boolean },
  audit: AuditEntry,
): { hidden: number } {
  return getDb().transaction(
    (tx) => {
      tx.update(users)
        .set({ bannedAt: new Date(), bannedUntil: input.until, banReason: input.reason })
        .where(eq(users.id, userId))
        .run();
      let hidden = 0;
      if (input.hideComments) {
        const shown = tx
          .select({ id: comments.id, articleId: comments.articleId, parentId: comments.parentId, questionId: comments.questionId })
          .from(comments)
          .where(and(eq(comments.authorId, userId), eq(comments.status, 'visible')))
          .all();
        for (const comment of shown) {
          tx.update(comments).set({ status: 'hidden', moderationReason: 'ban' }).where(eq(comments.id, comment.id)).run();
          adjustVisibleCounts(tx, comment, -1);
        }
        hidden = shown.length;
      }
      recordAudit(tx, audit);
      return { hidden };
    },
    { behavior: 'immediate' },
  );
}

export function unbanUser(userId: string, audit: AuditEntry): void {
  getDb().transaction((tx) => {
    tx.update(users).set({ bannedAt: null, bannedUntil: null, banReason: null }).where(eq(users.id, userId)).run();
    recordAudit(tx, audit);
  });
}

export function setArticleModeration(articleId: number, policy: ArticlePolicy, audit: AuditEntry): void {
  getDb().transaction((tx) => {
    tx.update(articles).set({ moderation: policy }).where(eq(articles.id, articleId)).run();
    recordAudit(tx, audit);
  });
}

export function setArticleClosed(articleId: number, closed: boolean, audit: AuditEntry): void {
  getDb().transaction((tx) => {
    tx.update(articles)
      .set({ closedAt: closed ? new Date() : null })
      .where(eq(articles.id, articleId))
      .run();
    recordAudit(tx, audit);
  });
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
  reports: QueueReport[];
  /** The texts it had before its current one, oldest first: what a held edit replaced, say. */
  earlier: CommentVersionView[];
};

/** One reader's report on a queued comment: why, who and when (moderators only see this). */
export type QueueReport = { reason: ReportReason; details: string | null; reporterName: string; createdAt: Date };

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
        .select({
          commentId: commentReports.commentId,
          reason: commentReports.reason,
          details: commentReports.details,
          reporterName: sql<string>`coalesce(${users.name}, 'Reader')`,
          createdAt: commentReports.createdAt,
        })
        .from(commentReports)
        .innerJoin(users, eq(users.id, commentReports.userId))
        .where(inArray(commentReports.commentId, rows.map((r) => r.id)))
        .orderBy(asc(commentReports.createdAt))
        .all()
    : [];
  const earlier = listEarlierVersions(rows.map((r) => r.id));
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
    reports: reports.filter((x) => x.commentId === r.id).map(({ reason, details, reporterName, createdAt }) => ({ reason, details, reporterName, createdAt })),
    earlier: earlier.get(r.id) ?? [],
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

export function getUserRole(userId: string) {
  return getDb().select({ role: users.role }).from(users).where(eq(users.id, userId)).get()?.role ?? null;
}

export function setUserRole(email: string, role: Role): boolean {
  return getDb().update(users).set({ role }).where(eq(users.email, email)).returning({ id: users.id }).all().length > 0;
}

