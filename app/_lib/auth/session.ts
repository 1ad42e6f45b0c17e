import 'server-only';
import { cookies } from 'next/headers';
import { cache } from 'react';
import type { UserSummary } from '@/db/queries/users';
import { auth } from './config';
import { loadUser } from './roles';
import { ensureAuthSecret } from './secret';
import { RENEW_AFTER_SECONDS, decodeSessionCookie, readSessionCookie } from './session-token';

/**
 * The signed-in reader, loaded fresh from the database, or null. Every page, server action and
 * route handler that acts as a user starts here (memoised per request): a missing, forged or
 * expired session cookie, or a token for a user who no longer exists, is null.
 */
export const getCurrentUser = cache(async (): Promise<UserSummary | null> => {
  const id = await sessionUserId();
  return id ? loadUser(id) : null;
});

/**
 * The user id in the session cookie. A token issued more than a day ago goes through Auth.js,
 * which renews the cookie where the response can still set one (actions, route handlers), as
 * it would on every request; younger tokens are only decrypted (app/_lib/auth/session-token.ts).
 */
async function sessionUserId(): Promise<string | null> {
  const cookie = await readSessionCookie(await cookies());
  if (!cookie) return null;
  const token = await decodeSessionCookie(cookie, ensureAuthSecret());
  if (!token) return null;
  if (Date.now() / 1000 - token.issuedAt < RENEW_AFTER_SECONDS) return token.userId;
  const session = await auth();
  return session?.user?.id ?? null;
}
