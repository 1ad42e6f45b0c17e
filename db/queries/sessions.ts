import 'server-only';
import { and, desc, eq, lt, ne } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../index';
import { userSessions } from '../schema';

/*
 * The sign-ins (table user_sessions): one row per session cookie, named by its `sid` claim.
 * The rules (what ends a session, who may end which) are in app/_lib/auth/sessions.ts.
 */

export type SessionRow = { id: string; method: string; userAgent: string | null; network: string | null; createdAt: Date; lastSeenAt: Date };

export function insertSession(row: { id: string; userId: string; method: string; userAgent: string | null; network: string | null }, db: Db = getDb()): void {
  db.insert(userSessions).values(row).run();
}

/** Moves the session's last-seen time to `now`, once it is at least `everyMs` old (one write per window, not per request). */
export function touchSession(sessionId: string, now: number, everyMs: number): void {
  getDb()
    .update(userSessions)
    .set({ lastSeenAt: new Date(now) })
    .where(and(eq(userSessions.id, sessionId), lt(userSessions.lastSeenAt, new Date(now - everyMs))))
    .run();
}

/** The user's sessions, the most recently seen first. */
export function listSessions(userId: string): SessionRow[] {
  return getDb()
    .select({ id: userSessions.id, method: userSessions.method, userAgent: userSessions.userAgent, network: userSessions.network, createdAt: userSessions.createdAt, lastSeenAt: userSessions.lastSeenAt })
    .from(userSessions)
    .where(eq(userSessions.userId, userId))
    .orderBy(desc(userSessions.lastSeenAt), desc(userSessions.createdAt))
    .all();
}

/** Ends one session of this user; false when the user has no such session (another's, made up, or ended). */
export function deleteSession(userId: string, sessionId: string, db: Tx | Db = getDb()): boolean {
  return db.delete(userSessions).where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, userId))).run().changes === 1;
}

/** Ends every session of this user but `keep` (all of them when `keep` is null); returns how many ended. */
export function deleteSessionsOf(userId: string, keep: string | null, db: Tx | Db = getDb()): number {
  const where = keep === null ? eq(userSessions.userId, userId) : and(eq(userSessions.userId, userId), ne(userSessions.id, keep));
  return db.delete(userSessions).where(where).run().changes;
}

/**
 * Sessions unused for longer than any cookie lives: a cookie expires `maxAgeMs` after it was last
 * renewed, and it is renewed only on a request, which moves last-seen to within `touchMs` of it.
 */
export function purgeIdleSessions(maxAgeMs: number, touchMs: number, now = Date.now(), db: Db = getDb()): number {
  return db
    .delete(userSessions)
    .where(lt(userSessions.lastSeenAt, new Date(now - maxAgeMs - touchMs)))
    .run().changes;
}
