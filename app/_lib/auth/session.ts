import 'server-only';
import { cookies } from 'next/headers';
import { cache } from 'react';
import type { UserSummary } from '@/db/queries/users';
import { auth } from './config';
import { loadSessionUser } from './roles';
import { ensureAuthSecret } from './secret';
import { RENEW_AFTER_SECONDS, decodeSessionCookie, readSessionCookie, type SessionToken } from './session-token';

/**
 * The signed-in reader and the id of their session (user_sessions), loaded fresh from the
 * database, or null. Memoised per request. A missing, forged or expired session cookie, a token
 * for a user who no longer exists, and a session that was signed out are all null.
 */
export const getCurrentSession = cache(async (): Promise<{ user: UserSummary; sessionId: string } | null> => {
  const token = await sessionClaims();
  const user = token ? loadSessionUser(token) : null;
  return user && token?.sessionId ? { user, sessionId: token.sessionId } : null;
});

/**
 * The session cookie's claims, decrypted but not checked against the database: who it names and
 * when they last signed in (app/_lib/account/delete.ts asks for a recent sign-in, and tells a
 * cookie whose account is gone from one that is missing). Null without a valid cookie.
 */
export const currentSessionToken = cache(async (): Promise<SessionToken | null> => {
  const cookie = await readSessionCookie(await cookies());
  return cookie ? decodeSessionCookie(cookie, ensureAuthSecret()) : null;
});

/**
 * The signed-in reader, or null. Every page, server action and route handler that acts as a
 * user starts here, so a signed-out session is refused by every door alike.
 */
export const getCurrentUser = cache(async (): Promise<UserSummary | null> => (await getCurrentSession())?.user ?? null);

/**
 * The claims of the session cookie. A token issued more than a day ago goes through Auth.js,
 * which renews the cookie where the response can still set one (actions, route handlers), as it
 * would on every request (its jwt callback drops a token whose session ended); younger tokens
 * are only decrypted (app/_lib/auth/session-token.ts). Both paths end in the same check
 * (loadSessionUser); a renewal keeps the token's claims, so the decrypted ones stand for it.
 */
async function sessionClaims(): Promise<SessionToken | null> {
  const cookie = await readSessionCookie(await cookies());
  if (!cookie) return null;
  const token = await decodeSessionCookie(cookie, ensureAuthSecret());
  if (!token) return null;
  if (Date.now() / 1000 - token.issuedAt < RENEW_AFTER_SECONDS) return token;
  const session = await auth();
  return session?.user?.id === token.userId ? token : null;
}
