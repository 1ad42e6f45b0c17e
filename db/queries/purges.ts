import 'server-only';
import { and, eq, inArray, lt, lte, ne, or, sql } from 'drizzle-orm';
import { REJECTED_REASON } from '../enums';
import { getDb, type Db } from '../index';
import { commentDrafts, commentUndo, commentVersions, comments, emailTokens, mailOutbox, notifications, rateLimits, sessions, verificationTokens } from '../schema';
import { DRAFT_MAX_AGE_MS } from './comment-writes';

/*
 * Rows nothing will read again, deleted by the scheduled purge (app/_lib/ops/jobs.ts) so the
 * tables do not grow for ever. Each returns how many rows it deleted. A row is deleted only once
 * the code that reads it would already treat it as gone, so a purge never changes an answer.
 */

/**
 * Rate-limit counters whose window has ended. A row does not record its window's length (each
 * caller passes its own to hitRateLimit), so the caller gives the longest in use: a row older
 * than that is past every window, and hitRateLimit would start a new one over it anyway.
 */
export function purgeRateLimits(longestWindowMs: number, now = Date.now(), db: Db = getDb()): number {
  return db.delete(rateLimits).where(lte(rateLimits.windowStart, new Date(now - longestWindowMs))).run().changes;
}

/**
 * Rate-limit counters keyed by a client address (`names` are those limits, "signin:ip" ...) whose
 * window began at least `keepMs` ago: RETAIN_IP_DAYS. purgeRateLimits normally deletes them much
 * sooner, when their window ends; this is the bound the privacy page promises, whatever the
 * windows are and even if that purge has not run. The name is matched exactly at the start of the
 * key (an IPv6 address has colons of its own, so the key is not split).
 */
export function purgeAddressKeys(names: readonly string[], keepMs: number, now = Date.now(), db: Db = getDb()): number {
  if (names.length === 0) return 0;
  const named = or(...names.map((name) => sql`substr(${rateLimits.key}, 1, ${name.length + 1}) = ${`${name}:`}`));
  return db.delete(rateLimits).where(and(named, lte(rateLimits.windowStart, new Date(now - keepMs)))).run().changes;
}

/**
 * Empties the text of comments a moderator rejected at least `keepMs` ago (RETAIN_REJECTED_DAYS),
 * with their earlier versions; returns how many were emptied. The row stays, hidden, so replies
 * keep their parent and the moderation log its target. The time of the decision is
 * comments.reviewed_at: the statement that set the status and reason set it (db/queries/
 * comment-writes.ts moveStatus), so it is the time of the decision that holds now; a later
 * restore clears the reason, a new rejection moves the time. The moderation log has the same time
 * but by a text target id, and would need the latest of several entries. A comment hidden by
 * reports ('reports', not reviewed) or with its author's ban ('ban') is not a rejection and is
 * never emptied here.
 */
export function purgeRejectedComments(keepMs: number, now = Date.now(), db: Db = getDb()): number {
  const rejected = and(eq(comments.status, 'hidden'), eq(comments.moderationReason, REJECTED_REASON), lte(comments.reviewedAt, new Date(now - keepMs)));
  return db.transaction(
    (tx) => {
      tx.delete(commentVersions)
        .where(inArray(commentVersions.commentId, tx.select({ id: comments.id }).from(comments).where(rejected)))
        .run();
      // An emptied comment is not counted again on the next run.
      return tx
        .update(comments)
        .set({ bodyMarkdown: '', bodyHtml: '' })
        .where(and(rejected, or(ne(comments.bodyMarkdown, ''), ne(comments.bodyHtml, ''))))
        .run().changes;
    },
    { behavior: 'immediate' },
  );
}

/** Drafts older than readDraft offers back (DRAFT_MAX_AGE_MS, the one rule for how long a draft lives). */
export function purgeCommentDrafts(now = Date.now(), db: Db = getDb(), maxAgeMs = DRAFT_MAX_AGE_MS): number {
  return db.delete(commentDrafts).where(lte(commentDrafts.createdAt, new Date(now - maxAgeMs))).run().changes;
}

/** What deleted comments held, once "Undo" has expired for them. */
export function purgeCommentUndo(now = Date.now(), db: Db = getDb()): number {
  return db.delete(commentUndo).where(lte(commentUndo.expiresAt, new Date(now))).run().changes;
}

/** Auth.js verification tokens past their expiry (Auth.js refuses a token once `expires < now`). */
export function purgeVerificationTokens(now = Date.now(), db: Db = getDb()): number {
  return db.delete(verificationTokens).where(lt(verificationTokens.expires, new Date(now))).run().changes;
}

/**
 * Expired database sessions. The site signs in with JWT sessions, so this table is normally
 * empty; an adapter session left from another configuration is purged all the same.
 */
export function purgeSessions(now = Date.now(), db: Db = getDb()): number {
  return db.delete(sessions).where(lt(sessions.expires, new Date(now))).run().changes;
}

/**
 * Mail delivered more than `keepMs` ago. A sent row is only read by the admin page's counts and
 * by a person tracing a Message-ID from the log, so a month of them is plenty; queued, sending and
 * failed rows stay until they are delivered or an admin acts.
 */
export function purgeSentMail(keepMs: number, now = Date.now(), db: Db = getDb()): number {
  return db
    .delete(mailOutbox)
    .where(and(eq(mailOutbox.status, 'sent'), lte(mailOutbox.sentAt, new Date(now - keepMs))))
    .run().changes;
}

/**
 * Reply and discussion events handled more than `keepMs` ago (mailed, or dropped). Each names a
 * reader and a comment; once handled, only the discussion mail's "already told" check reads
 * them, and only for comments a few minutes old.
 */
export function purgeHandledNotifications(keepMs: number, now = Date.now(), db: Db = getDb()): number {
  return db
    .delete(notifications)
    .where(lte(notifications.doneAt, new Date(now - keepMs)))
    .run().changes;
}

/** How long a mailed link's row outlives its expiry. */
export const EMAIL_TOKEN_KEEP_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Mailed links a week past their expiry, used or not. Kept that long so that a reader who opens
 * an old link is told it expired (or was used), not that it is unknown; neither signs anyone in.
 */
export function purgeEmailTokens(now = Date.now(), db: Db = getDb()): number {
  return db.delete(emailTokens).where(lt(emailTokens.expiresAt, new Date(now - EMAIL_TOKEN_KEEP_MS))).run().changes;
}
