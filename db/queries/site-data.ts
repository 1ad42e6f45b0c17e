import 'server-only';
import { and, asc, eq, isNull, notExists, sql } from 'drizzle-orm';
import { getDb } from '../index';
import {
  articles,
  commentReports,
  commentVersions,
  commentVotes,
  comments,
  guestAuthors,
  pollVotes,
  questionChoices,
  questions,
  users,
} from '../schema';

/*
 * What the site export (app/_lib/export/) reads: the discussions whole, in a stable order
 * (creation time, then id), so two exports of the same data are the same file. Named columns
 * only: never a password hash, a session, a token or a network address.
 */

export function exportArticles() {
  return getDb()
    .select({
      id: articles.id,
      slug: articles.slug,
      title: articles.title,
      summary: articles.summary,
      bodyMarkdown: articles.bodyMarkdown,
      disclosure: articles.disclosure,
      sourceLabel: articles.sourceLabel,
      sourceUrl: articles.sourceUrl,
      publishedAt: articles.publishedAt,
      contentHash: articles.contentHash,
      moderation: articles.moderation,
      closedAt: articles.closedAt,
      createdAt: articles.createdAt,
      updatedAt: articles.updatedAt,
    })
    .from(articles)
    .orderBy(asc(articles.slug))
    .all();
}

export function exportQuestions() {
  return getDb()
    .select({
      id: questions.id,
      articleId: questions.articleId,
      key: questions.key,
      position: questions.position,
      prompt: questions.prompt,
      label: questions.label,
      kind: questions.kind,
      createdAt: questions.createdAt,
    })
    .from(questions)
    .orderBy(asc(questions.articleId), asc(questions.position))
    .all();
}

export function exportChoices() {
  return getDb()
    .select({ id: questionChoices.id, questionId: questionChoices.questionId, key: questionChoices.key, position: questionChoices.position, label: questionChoices.label })
    .from(questionChoices)
    .orderBy(asc(questionChoices.questionId), asc(questionChoices.position))
    .all();
}

/** Accounts (not guest authors): who they are, their role and ban; no password hash. */
export function exportReaders() {
  return getDb()
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      emailVerified: users.emailVerified,
      role: users.role,
      bannedAt: users.bannedAt,
      bannedUntil: users.bannedUntil,
      banReason: users.banReason,
      notifyReplies: users.notifyReplies,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(notExists(getDb().select({ one: sql`1` }).from(guestAuthors).where(eq(guestAuthors.userId, users.id))))
    .orderBy(asc(users.createdAt), asc(users.id))
    .all();
}

export function exportGuestAuthors() {
  return getDb()
    .select({ id: users.id, name: users.name, email: guestAuthors.email, source: guestAuthors.source, sourceKey: guestAuthors.sourceKey, createdAt: guestAuthors.createdAt })
    .from(guestAuthors)
    .innerJoin(users, eq(users.id, guestAuthors.userId))
    .orderBy(asc(guestAuthors.createdAt), asc(users.id))
    .all();
}

export function exportComments() {
  return getDb()
    .select({
      id: comments.id,
      articleId: comments.articleId,
      authorId: comments.authorId,
      parentId: comments.parentId,
      rootId: comments.rootId,
      replyToId: comments.replyToId,
      depth: comments.depth,
      questionId: comments.questionId,
      bodyMarkdown: comments.bodyMarkdown,
      bodyHtml: comments.bodyHtml,
      status: comments.status,
      moderationReason: comments.moderationReason,
      reportCount: comments.reportCount,
      reviewedAt: comments.reviewedAt,
      featuredAt: comments.featuredAt,
      createdAt: comments.createdAt,
      editedAt: comments.editedAt,
      editedBy: comments.editedBy,
      editedAs: comments.editedAs,
      editReason: comments.editReason,
      deletedAt: comments.deletedAt,
      source: comments.source,
      sourceId: comments.sourceId,
    })
    .from(comments)
    .orderBy(asc(comments.createdAt), asc(comments.id))
    .all();
}

export function exportVersions() {
  return getDb()
    .select({
      commentId: commentVersions.commentId,
      bodyMarkdown: commentVersions.bodyMarkdown,
      bodyHtml: commentVersions.bodyHtml,
      writtenAt: commentVersions.writtenAt,
      writtenBy: commentVersions.writtenBy,
      writtenAs: commentVersions.writtenAs,
      reason: commentVersions.reason,
    })
    .from(commentVersions)
    .orderBy(asc(commentVersions.commentId), asc(commentVersions.id))
    .all();
}

export function exportVotes() {
  return getDb()
    .select({ commentId: commentVotes.commentId, userId: commentVotes.userId, createdAt: commentVotes.createdAt })
    .from(commentVotes)
    .orderBy(asc(commentVotes.createdAt), asc(commentVotes.commentId), asc(commentVotes.userId))
    .all();
}

export function exportReports() {
  return getDb()
    .select({ commentId: commentReports.commentId, userId: commentReports.userId, reason: commentReports.reason, details: commentReports.details, createdAt: commentReports.createdAt })
    .from(commentReports)
    .orderBy(asc(commentReports.createdAt), asc(commentReports.commentId), asc(commentReports.userId))
    .all();
}

export function exportStances() {
  return getDb()
    .select({ questionId: pollVotes.questionId, choiceId: pollVotes.choiceId, userId: pollVotes.userId, createdAt: pollVotes.createdAt, updatedAt: pollVotes.updatedAt })
    .from(pollVotes)
    .orderBy(asc(pollVotes.createdAt), asc(pollVotes.questionId), asc(pollVotes.userId))
    .all();
}

/** A comment written here (no source) with this id, on this article, at this time: the one a site export named `site:<id>`. */
export function findNativeComment(id: number, articleId: number, createdAt: Date): number | null {
  return (
    getDb()
      .select({ id: comments.id })
      .from(comments)
      .where(and(eq(comments.id, id), eq(comments.articleId, articleId), eq(comments.createdAt, createdAt), isNull(comments.source)))
      .get()?.id ?? null
  );
}
