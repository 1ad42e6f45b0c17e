import 'server-only';
import { and, eq, lt, lte } from 'drizzle-orm';
import { getDb, type Db } from '../index';
import { commentDrafts, commentUndo, emailTokens, mailOutbox, rateLimits, sessions, verificationTokens } from '../schema';
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

/** Drafts older than readDraft offers back. */
export function purgeCommentDrafts(now = Date.now(), db: Db = getDb()): number {
  return db.delete(commentDrafts).where(lte(commentDrafts.createdAt, new Date(now - DRAFT_MAX_AGE_MS))).run().changes;
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

/** How long a mailed link's row outlives its expiry. */
export const EMAIL_TOKEN_KEEP_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Mailed links a week past their expiry, used or not. Kept that long so that a reader who opens
 * an old link is told it expired (or was used), not that it is unknown; neither signs anyone in.
 */
export function purgeEmailTokens(now = Date.now(), db: Db = getDb()): number {
  return db.delete(emailTokens).where(lt(emailTokens.expiresAt, new Date(now - EMAIL_TOKEN_KEEP_MS))).run().changes;
}
