import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { getDb, preparedQuery, type Db, type Tx } from '../index';
import { userSessions, users, type Role } from '../schema';
import { deleteSessionsOf } from './sessions';

/** What the UI and the authorization checks may know about a user. Never the password hash. */
export type UserSummary = {
  id: string;
  name: string;
  email: string | null;
  role: Role;
  /** Whether a provider or a mailed link proved the address (notifications, REQUIRE_VERIFIED_EMAIL). */
  emailVerified: boolean;
  /** An active ban (ended bans are null), with when it ends and why. */
  ban: { until: Date | null; reason: string } | null;
};

const summaryColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  role: users.role,
  emailVerified: users.emailVerified,
  bannedAt: users.bannedAt,
  bannedUntil: users.bannedUntil,
  banReason: users.banReason,
};

type SummaryRow = {
  id: string;
  name: string | null;
  email: string | null;
  role: Role;
  emailVerified: Date | null;
  bannedAt: Date | null;
  bannedUntil: Date | null;
  banReason: string | null;
};

/** Whether a ban is in force at `now`: set, and not yet over (null until = until lifted). */
export function banInForce(bannedAt: Date | null, bannedUntil: Date | null, now = Date.now()): boolean {
  return bannedAt !== null && (bannedUntil === null || bannedUntil.getTime() > now);
}

function toSummary(row: SummaryRow, now = Date.now()): UserSummary {
  const banned = banInForce(row.bannedAt, row.bannedUntil, now);
  return {
    id: row.id,
    name: row.name?.trim() || 'Reader',
    email: row.email,
    role: row.role,
    emailVerified: row.emailVerified !== null,
    ban: banned ? { until: row.bannedUntil, reason: row.banReason ?? 'No reason given.' } : null,
  };
}

/**
 * A user as stored, with whether a sign-in provider verified their email (email-derived rights
 * need that). The role is the stored one: app/_lib/auth/roles.ts resolves the one they act with.
 */
// Every signed-in request loads its reader: compiled once (db/index.ts, preparedQuery).
const summaryById = preparedQuery((db) =>
  db
    .select({ ...summaryColumns, sessionVersion: users.sessionVersion })
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .prepare(),
);

export function getUserSummary(id: string): (UserSummary & { sessionVersion: number }) | null {
  const row = summaryById().get({ id });
  return row ? { ...toSummary(row), sessionVersion: row.sessionVersion } : null;
}

/*
 * A session cookie's reader and its session, read together on every signed-in request: the user
 * by its key and the session row by its key and owner, one statement (compiled once). The
 * session's columns are null when it has no row: ended, another user's, or never issued.
 */
const summaryWithSession = preparedQuery((db) =>
  db
    .select({ ...summaryColumns, sessionVersion: users.sessionVersion, sessionLastSeenAt: userSessions.lastSeenAt })
    .from(users)
    .leftJoin(userSessions, and(eq(userSessions.id, sql.placeholder('sid')), eq(userSessions.userId, users.id)))
    .where(eq(users.id, sql.placeholder('id')))
    .prepare(),
);

/** The user a session names, with their session version and when the session was last seen (null: no such session). */
export function getSessionUser(id: string, sessionId: string): (UserSummary & { sessionVersion: number; sessionLastSeenAt: Date | null }) | null {
  const row = summaryWithSession().get({ id, sid: sessionId });
  return row ? { ...toSummary(row), sessionVersion: row.sessionVersion, sessionLastSeenAt: row.sessionLastSeenAt } : null;
}

/** The version new session tokens of this user are issued under (null: no such user). */
export function getSessionVersion(id: string): number | null {
  return getDb().select({ v: users.sessionVersion }).from(users).where(eq(users.id, id)).get()?.v ?? null;
}

/** Records whether the sign-in provider vouches for the user's email, as it says at each sign-in. */
export function setEmailVerified(id: string, verified: boolean): void {
  getDb()
    .update(users)
    .set({ emailVerified: verified ? new Date() : null })
    .where(eq(users.id, id))
    .run();
}

/**
 * The one query that reads a password hash: sign-in needs it to verify a password, and it
 * returns it to nothing else.
 */
export function getPasswordCredentials(email: string): { id: string; name: string; passwordHash: string | null } | null {
  const row = getDb()
    .select({ id: users.id, name: users.name, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, email))
    .get();
  return row ? { id: row.id, name: row.name ?? 'Reader', passwordHash: row.passwordHash } : null;
}

export function emailIsTaken(email: string): boolean {
  return getDb().select({ id: users.id }).from(users).where(eq(users.email, email)).get() !== undefined;
}

export class EmailTakenError extends Error {
  override name = 'EmailTakenError';
}

/** Creates an email-and-password account. The email must already be normalised. */
export function createPasswordUser(input: { name: string; email: string; passwordHash: string }): UserSummary {
  try {
    const row = getDb()
      .insert(users)
      .values({ name: input.name, email: input.email, passwordHash: input.passwordHash })
      .returning(summaryColumns)
      .get();
    return toSummary(row);
  } catch (error) {
    // Two sign-ups racing for one address: the unique index decides, and the loser is told.
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new EmailTakenError(input.email);
    throw error;
  }
}

export function updateDisplayName(id: string, name: string): UserSummary | null {
  const row = getDb().update(users).set({ name }).where(eq(users.id, id)).returning(summaryColumns).get();
  return row ? toSummary(row) : null;
}

/**
 * Signs out every session issued before now: their rows go, and each token carries the version
 * it was issued under, so one older than the new version is refused even if a row were left.
 */
export function raiseSessionVersion(tx: Tx | Db, id: string): void {
  tx.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(eq(users.id, id)).run();
  deleteSessionsOf(id, null, tx);
}

/** The account an address belongs to, for mailing its owner: id, name and whether it has a password. */
export function getAccountByEmail(email: string, tx: Tx | Db = getDb()): { id: string; name: string; hasPassword: boolean; emailVerified: boolean } | null {
  const row = tx
    .select({ id: users.id, name: users.name, passwordHash: users.passwordHash, emailVerified: users.emailVerified })
    .from(users)
    .where(eq(users.email, email))
    .get();
  return row ? { id: row.id, name: row.name?.trim() || 'Reader', hasPassword: row.passwordHash !== null, emailVerified: row.emailVerified !== null } : null;
}

/** Whether the account has a password and a verified address, for the profile page. */
export function getAccountState(id: string): { hasPassword: boolean; emailVerified: boolean } | null {
  const row = getDb().select({ passwordHash: users.passwordHash, emailVerified: users.emailVerified }).from(users).where(eq(users.id, id)).get();
  return row ? { hasPassword: row.passwordHash !== null, emailVerified: row.emailVerified !== null } : null;
}

/** An account whose address a mailed link just proved. Null when the address was taken meanwhile. */
export function createVerifiedPasswordUser(tx: Tx | Db, input: { name: string; email: string; passwordHash: string }): { id: string } | null {
  return tx.insert(users).values({ ...input, emailVerified: new Date() }).onConflictDoNothing().returning({ id: users.id }).get() ?? null;
}

/** A new password (reset or change), which also signs out every earlier session (raiseSessionVersion). */
export function setPassword(tx: Tx | Db, id: string, passwordHash: string): void {
  tx.update(users).set({ passwordHash }).where(eq(users.id, id)).run();
  raiseSessionVersion(tx, id);
}

/** A mailed link to the account's address proves it. */
export function markEmailVerified(tx: Tx | Db, id: string, email: string): boolean {
  return tx.update(users).set({ emailVerified: new Date() }).where(and(eq(users.id, id), eq(users.email, email))).run().changes === 1;
}

/** Replaces the address with one a link just proved; false when another account has it now. */
export function replaceEmail(tx: Tx | Db, id: string, email: string): { oldEmail: string | null } | null {
  const old = tx.select({ email: users.email }).from(users).where(eq(users.id, id)).get();
  if (!old) return null;
  const row = tx
    .update(users)
    .set({ email, emailVerified: new Date() })
    .where(and(eq(users.id, id), sql`not exists (select 1 from users other where other.email = ${email} and other.id <> ${id})`))
    .returning({ id: users.id })
    .get();
  return row ? { oldEmail: old.email } : null;
}

