import 'server-only';
import { touchSession } from '@/db/queries/sessions';
import { getSessionUser, getUserSummary, type UserSummary } from '@/db/queries/users';
import type { Role } from '@/db/schema';
import { settings } from '../config.mjs';
import { SESSION_TOUCH_MS } from './sessions';

type Env = Record<string, string | undefined>;

/**
 * The role a user acts with, the one answer for the session, the pages and the services: the
 * stored role (`npm run admin -- grant`), raised to admin when ADMIN_EMAILS lists the email and
 * the address is verified: by a sign-in provider, or by a mailed link (password accounts exist
 * only once their link was used). An unverified address grants nothing. `env` stands in for
 * this process's settings in tests.
 */
export function effectiveRole(user: { role: Role; email: string | null; emailVerified: boolean }, env?: Env): Role {
  const admins = settings(env).ADMIN_EMAILS;
  return user.emailVerified && user.email && admins.includes(user.email) ? 'admin' : user.role;
}

type StoredUser = Pick<NonNullable<ReturnType<typeof getUserSummary>>, keyof UserSummary>;

/** The stored user as they act: the summary the UI may know, with the role they act with. */
function actingUser(row: StoredUser, env?: Env): UserSummary {
  const { id, name, email, role, ban, emailVerified } = row;
  return { id, name, email, emailVerified, ban, role: effectiveRole({ role, email, emailVerified }, env) };
}

/** A user with the role they act with, or null when there is no such user. */
export function loadUser(id: string, env?: Env): UserSummary | null {
  const row = getUserSummary(id);
  return row ? actingUser(row, env) : null;
}

/**
 * The user a session token names, or null when it is signed out: the user is gone, the session's
 * row is gone (signed out from here or from another browser, or by a password change), the token
 * has no session id (issued before sessions had rows), or it was issued under an older session
 * version. One read per request, the user row and the session row together; "last seen" is
 * written only when it is SESSION_TOUCH_MS old.
 */
export function loadSessionUser(session: { userId: string; sessionVersion: number; sessionId: string | null }, env?: Env, now = Date.now()): UserSummary | null {
  if (!session.sessionId) return null;
  const row = getSessionUser(session.userId, session.sessionId);
  if (!row || row.sessionLastSeenAt === null || row.sessionVersion !== session.sessionVersion) return null;
  if (now - row.sessionLastSeenAt.getTime() >= SESSION_TOUCH_MS) touchSession(session.sessionId, now, SESSION_TOUCH_MS);
  return actingUser(row, env);
}
