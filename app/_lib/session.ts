import 'server-only';
import { cache } from 'react';
import { getUserSummary, type UserSummary } from '@/db/queries/users';
import { auth } from './auth';

/**
 * The signed-in reader, loaded fresh from the database, or null. Every server action and route
 * handler that acts as a user starts here (memoised per request): a missing, forged or expired session cookie, or a
 * token for a user who no longer exists, is null.
 */
export const getCurrentUser = cache(async (): Promise<UserSummary | null> => {
  const session = await auth();
  const id = session?.user?.id;
  const user = id ? getUserSummary(id) : null;
  return user ? withConfiguredAdmin(user) : null;
});

/** ADMIN_EMAILS (comma-separated) makes those accounts admins without running the grant command. */
export function withConfiguredAdmin(user: UserSummary, env: Record<string, string | undefined> = process.env): UserSummary {
  const admins = (env.ADMIN_EMAILS ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean);
  return user.email && admins.includes(user.email) ? { ...user, role: 'admin' } : user;
}
