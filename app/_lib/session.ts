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
  return id ? getUserSummary(id) : null;
});
