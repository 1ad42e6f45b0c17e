import 'server-only';
import { getUserSummary, type UserSummary } from '@/db/queries/users';
import type { Role } from '@/db/schema';
import { settings } from '../config.mjs';

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

type StoredUser = NonNullable<ReturnType<typeof getUserSummary>>;

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
 * The user a session token names, or null when the user is gone or the token was issued under
 * an older session version: a password reset or change signs out every session from before it.
 * One read of the user per request, the version checked on the row that is then used.
 */
export function loadSessionUser(session: { userId: string; sessionVersion: number }, env?: Env): UserSummary | null {
  const row = getUserSummary(session.userId);
  if (!row || row.sessionVersion !== session.sessionVersion) return null;
  return actingUser(row, env);
}
