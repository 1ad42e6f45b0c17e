import 'server-only';
import { and, eq, exists, gt, lte, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { getDb, preparedQuery, type Tx } from '../index';
import { recordAudit, type AuditEntry } from './audit';
import { findByClientToken } from './comments';
import { forgetVersions, keepCurrentVersion, type Editor } from './comment-versions';
import { recordHeldComment, recordLateDiscussionComment, recordReportedComment, recordVisibleComment } from './notifications';
import { articles, commentDrafts, commentReports, commentUndo, commentVotes, comments, questions, users, type CommentStatus, type ReportReason } from '../schema';

/*
 * Every write to a comment, and the drafts typed before signing in. A write that changes what
 * is shown is one synchronous transaction, which keeps the article's and the question's
 * visible counts in step.
 */

/*
 * The statements every new comment runs, compiled once per connection (db/index.ts,
 * preparedQuery). They run on the connection's one SQLite handle, so inside a transaction
 * callback they are part of that transaction like `tx`'s own queries.
 */
const countArticle = preparedQuery((db) =>
  db
    .update(articles)
    .set({ commentCount: sql`max(${articles.commentCount} + ${sql.placeholder('delta')}, 0)` })
    .where(eq(articles.id, sql.placeholder('id')))
    .prepare(),
);
const countQuestion = preparedQuery((db) =>
  db
    .update(questions)
    .set({ answerCount: sql`max(${questions.answerCount} + ${sql.placeholder('delta')}, 0)` })
    .where(eq(questions.id, sql.placeholder('id')))
    .prepare(),
);
const insertRow = preparedQuery((db) =>
  db
    .insert(comments)
    .values({
      articleId: sql.placeholder('articleId'),
      authorId: sql.placeholder('authorId'),
      parentId: sql.placeholder('parentId'),
      rootId: sql.placeholder('rootId'),
      replyToId: sql.placeholder('replyToId'),
      depth: sql.placeholder('depth'),
      questionId: sql.placeholder('questionId'),
      bodyMarkdown: sql.placeholder('bodyMarkdown'),
      bodyHtml: sql.placeholder('bodyHtml'),
      status: sql.placeholder('status'),
      moderationReason: sql.placeholder('moderationReason'),
      clientToken: sql.placeholder('clientToken'),
    })
    .returning({ id: comments.id })
    .prepare(),
);
const setRoot = preparedQuery((db) =>
  db
    .update(comments)
    .set({ rootId: sql`${sql.placeholder('id')}` })
    .where(eq(comments.id, sql.placeholder('id')))
    .prepare(),
);

/**
 * Keeps the article's comment count and the question's answer count in step when a comment
 * becomes visible (+1) or stops being visible (-1), or, for an import, when `delta` comments at
 * once did. Call inside the write's transaction (`tx` is that proof; the statements are
 * compiled once and run on its connection).
 */
export function adjustVisibleCounts(
  tx: Tx,
  comment: { articleId: number; parentId: number | null; questionId: number | null },
  delta: number,
): void {
  countArticle().run({ id: comment.articleId, delta });
  if (comment.parentId === null && comment.questionId !== null) countQuestion().run({ id: comment.questionId, delta });
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
  /** False when notifications are switched off (NOTIFY_OFF): no event rows are written. */
  notify?: boolean;
};

/**
 * Stores a comment and keeps the article's count in step, in one transaction. A second
 * submit with the same author and form token returns the first comment instead of a copy.
 */
export function insertComment(input: NewComment): { id: number; duplicate: boolean } {
  return getDb().transaction(
    (tx) => {
      if (input.clientToken) {
        const existing = findByClientToken(input.authorId, input.clientToken);
        if (existing !== null) return { id: existing, duplicate: true };
      }
      const { id } = insertRow().get({ ...input, moderationReason: input.moderationReason ?? null })!;
      if (input.rootId === null) setRoot().run({ id });
      if (input.status === 'visible') adjustVisibleCounts(tx, input, 1);
      // The events ride on the post's transaction: a rolled-back post notifies nobody.
      const event = { ...input, id };
      if (input.notify !== false && input.status === 'visible') recordVisibleComment(tx, event);
      if (input.notify !== false && input.status === 'pending') recordHeldComment(tx, event);
      return { id, duplicate: false };
    },
    { behavior: 'immediate' },
  );
}

/**
 * Saves an edit, by the author or by a moderator (`editor`, with the reason a moderator must
 * give), and keeps the text it replaces as a version, in one transaction: every edit leaves
 * its history. When the new text must wait for review (`hold` names why), the comment leaves
 * the page in the same transaction, so the held text is never shown. A moderator's edit writes
 * its audit entry there too. Text identical to the current one changes nothing: no edit, no
 * version. Returns whether anything was saved.
 */
export function editCommentBody(
  id: number,
  body: { markdown: string; html: string },
  editor: Editor,
  hold: string | null,
  audit?: AuditEntry,
): boolean {
  return getDb().transaction(
    (tx) => {
      const current = tx.select({ bodyMarkdown: comments.bodyMarkdown }).from(comments).where(eq(comments.id, id)).get();
      if (!current || current.bodyMarkdown === body.markdown) return false;
      keepCurrentVersion(tx, id);
      tx.update(comments)
        .set({
          bodyMarkdown: body.markdown,
          bodyHtml: body.html,
          editedAt: sql`(unixepoch('subsec') * 1000)`,
          editedBy: editor.userId,
          editedAs: editor.as,
          editReason: editor.reason,
        })
        .where(eq(comments.id, id))
        .run();
      if (hold) moveStatus(tx, id, 'pending', hold, false, (from) => from === 'visible');
      if (audit) recordAudit(tx, audit);
      return true;
    },
    { behavior: 'immediate' },
  );
}

/**
 * An author deletes their comment: its text is emptied at once (a placeholder stays where replies
 * hang from it), and what it held is kept for `undoMs` so "Undo" can put it back. Its earlier
 * versions go at once and for good: the undo copy keeps the current text only, so "Undo" brings
 * back what readers last saw, still marked edited, with no history before it. Undo rows past
 * their time are removed here, so none outlives the next delete by much.
 */
export function softDeleteComment(id: number, undoMs: number): void {
  getDb().transaction(
    (tx) => {
      const row = tx
        .select({
          status: comments.status,
          articleId: comments.articleId,
          parentId: comments.parentId,
          questionId: comments.questionId,
          bodyMarkdown: comments.bodyMarkdown,
          bodyHtml: comments.bodyHtml,
        })
        .from(comments)
        .where(eq(comments.id, id))
        .get();
      if (!row || row.status === 'deleted') return;
      const now = Date.now();
      tx.delete(commentUndo).where(lte(commentUndo.expiresAt, new Date(now))).run();
      tx.insert(commentUndo)
        .values({ commentId: id, bodyMarkdown: row.bodyMarkdown, bodyHtml: row.bodyHtml, status: row.status, expiresAt: new Date(now + undoMs) })
        .onConflictDoUpdate({
          target: commentUndo.commentId,
          set: { bodyMarkdown: row.bodyMarkdown, bodyHtml: row.bodyHtml, status: row.status, expiresAt: new Date(now + undoMs) },
        })
        .run();
      tx.update(comments)
        .set({ status: 'deleted', bodyMarkdown: '', bodyHtml: '', deletedAt: sql`(unixepoch('subsec') * 1000)` })
        .where(eq(comments.id, id))
        .run();
      forgetVersions(tx, id);
      if (row.status === 'visible') adjustVisibleCounts(tx, row, -1);
    },
    { behavior: 'immediate' },
  );
}

/** Whether a deleted comment can still be put back (its undo row has not expired). */
export function canUndoDelete(id: number): boolean {
  const row = getDb().select({ expiresAt: commentUndo.expiresAt }).from(commentUndo).where(eq(commentUndo.commentId, id)).get();
  return !!row && row.expiresAt.getTime() > Date.now();
}

/**
 * "Undo": the deleted comment gets back the text, HTML and status it had (not its earlier
 * versions, which the delete removed) and counts again, in one transaction. False when there is nothing to undo, or it is too late.
 */
export function restoreDeletedComment(id: number): boolean {
  return getDb().transaction(
    (tx) => {
      const kept = tx.select().from(commentUndo).where(eq(commentUndo.commentId, id)).get();
      const row = tx
        .select({ status: comments.status, articleId: comments.articleId, parentId: comments.parentId, questionId: comments.questionId })
        .from(comments)
        .where(eq(comments.id, id))
        .get();
      if (!kept || !row || row.status !== 'deleted' || kept.expiresAt.getTime() <= Date.now()) return false;
      tx.update(comments)
        .set({ status: kept.status, bodyMarkdown: kept.bodyMarkdown, bodyHtml: kept.bodyHtml, deletedAt: null })
        .where(eq(comments.id, id))
        .run();
      tx.delete(commentUndo).where(eq(commentUndo.commentId, id)).run();
      if (kept.status === 'visible') adjustVisibleCounts(tx, row, 1);
      return true;
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
      recordReportedComment(tx, input.commentId);
      return { duplicate: false, hidden: true };
    },
    { behavior: 'immediate' },
  );
}

/**
 * Moves a comment to a new status, keeping the visible counts in step. `reviewed` marks a
 * moderator's approval, after which reports no longer hide it. Only when `when` allows the
 * current status; a deleted comment never moves.
 */
function moveStatus(
  tx: Tx,
  commentId: number,
  status: Exclude<CommentStatus, 'deleted'>,
  reason: string | null,
  reviewed: boolean,
  when: (from: CommentStatus) => boolean = () => true,
): { from: CommentStatus } | null {
  const row = tx
    .select({
      status: comments.status,
      articleId: comments.articleId,
      authorId: comments.authorId,
      parentId: comments.parentId,
      rootId: comments.rootId,
      replyToId: comments.replyToId,
      questionId: comments.questionId,
    })
    .from(comments)
    .where(eq(comments.id, commentId))
    .get();
  if (!row || row.status === 'deleted' || !when(row.status)) return null;
  tx.update(comments)
    .set({ status, moderationReason: status === 'visible' ? null : reason, ...(reviewed ? { reviewedAt: new Date() } : {}) })
    .where(eq(comments.id, commentId))
    .run();
  if (row.status !== 'visible' && status === 'visible') {
    adjustVisibleCounts(tx, row, 1);
    // An approved comment notifies as a post would have; one already mailed is not written twice.
    recordVisibleComment(tx, { ...row, id: commentId });
    // Only a held comment: a hidden one being restored was shown before, and may have been mailed.
    if (row.status === 'pending') recordLateDiscussionComment(tx, { ...row, id: commentId });
  }
  if (row.status === 'visible' && status !== 'visible') adjustVisibleCounts(tx, row, -1);
  if (row.status !== 'pending' && status === 'pending') recordHeldComment(tx, { ...row, id: commentId });
  return { from: row.status };
}

/** A moderator's decision on a comment, and its audit entry, in one transaction. */
export function decideCommentStatus(
  commentId: number,
  status: Exclude<CommentStatus, 'deleted'>,
  reason: string | null,
  audit: AuditEntry,
): { from: CommentStatus } | null {
  return getDb().transaction(
    (tx) => {
      const moved = moveStatus(tx, commentId, status, reason, true);
      if (moved) recordAudit(tx, audit);
      return moved;
    },
    { behavior: 'immediate' },
  );
}

/**
 * Several decisions from the queue's bulk form, all or none: each comment moves with its own
 * audit entry, and one that was decided meanwhile (deleted, say) is left out. Returns the ids moved.
 */
export function decideCommentStatuses(
  decisions: { commentId: number; status: Exclude<CommentStatus, 'deleted'>; reason: string | null; audit: AuditEntry }[],
): number[] {
  return getDb().transaction(
    (tx) =>
      decisions.flatMap(({ commentId, status, reason, audit }) => {
        if (!moveStatus(tx, commentId, status, reason, true)) return [];
        recordAudit(tx, audit);
        return [commentId];
      }),
    { behavior: 'immediate' },
  );
}

/** Makes a comment an editor's pick, or not, with its audit entry. */
export function setFeatured(commentId: number, featured: boolean, audit: AuditEntry): void {
  getDb().transaction((tx) => {
    tx.update(comments)
      .set({ featuredAt: featured ? new Date() : null })
      .where(eq(comments.id, commentId))
      .run();
    recordAudit(tx, audit);
  });
}

/*
 * Drafts typed before signing in. A draft (and its cookie) lasts a day, time enough to sign in
 * or sign up; after that it is never offered back, and the scheduled purge deletes it
 * (db/queries/purges.ts).
 */
export const DRAFT_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export function saveDraft(token: string, articleId: number, body: string): void {
  getDb().insert(commentDrafts).values({ token, articleId, body }).run();
}

export function readDraft(token: string, articleId: number): string | null {
  const dayAgo = new Date(Date.now() - DRAFT_MAX_AGE_MS);
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
