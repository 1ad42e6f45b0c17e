import 'server-only';
import { cookies } from 'next/headers';
import { cache } from 'react';
import type { UserSummary } from '@/db/queries/users';
import { auth } from './config';
import { loadSessionUser } from './roles';
import { ensureAuthSecret } from './secret';
import { RENEW_AFTER_SECONDS, decodeSessionCookie, readSessionCookie, sessionVersionOf, type SessionToken } from './session-token';

/**
 * The signed-in reader, loaded fresh from the database, or null. Every page, server action and
 * route handler that acts as a user starts here (memoised per request): a missing, forged or
 * expired session cookie, or a token for a user who no longer exists, is null.
 */
export const getCurrentUser = cache(async (): Promise<UserSummary | null> => {
  const session = await sessionClaims();
  return session ? loadSessionUser(session) : null;
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
 * The user id and session version in the session cookie. A token issued more than a day ago
 * goes through Auth.js, which renews the cookie where the response can still set one (actions,
 * route handlers), as it would on every request (its jwt callback drops a token of an older
 * version); younger tokens are only decrypted (app/_lib/auth/session-token.ts). Both paths
 * end in the same version check (loadSessionUser).
 */
async function sessionClaims(): Promise<{ userId: string; sessionVersion: number } | null> {
  const cookie = await readSessionCookie(await cookies());
  if (!cookie) return null;
  const token = await decodeSessionCookie(cookie, ensureAuthSecret());
  if (!token) return null;
  if (Date.now() / 1000 - token.issuedAt < RENEW_AFTER_SECONDS) return token;
  const session = await auth();
  return session?.user?.id ? { userId: session.user.id, sessionVersion: sessionVersionOf(session) } : null;
}
