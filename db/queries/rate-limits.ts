import 'server-only';
import { eq } from 'drizzle-orm';
import { getDb } from '../index';
import { rateLimits } from '../schema';

export type RateLimitResult = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Counts one attempt against `key` in a fixed window and says whether it is within `limit`.
 * Read and write happen in one synchronous transaction, so concurrent attempts cannot both
 * see the old count.
 */
export function hitRateLimit(key: string, limit: number, windowMs: number, now = Date.now()): RateLimitResult {
  const db = getDb();
  return db.transaction((tx) => {
    const row = tx
      .select({ windowStart: rateLimits.windowStart, count: rateLimits.count })
      .from(rateLimits)
      .where(eq(rateLimits.key, key))
      .get();
    const inWindow = row !== undefined && now - row.windowStart.getTime() < windowMs;
    const windowStart = inWindow ? row.windowStart.getTime() : now;
    const count = inWindow ? row.count + 1 : 1;
    if (count > limit) return { allowed: false, retryAfterMs: windowStart + windowMs - now };
    tx.insert(rateLimits)
      .values({ key, windowStart: new Date(windowStart), count })
      .onConflictDoUpdate({ target: rateLimits.key, set: { windowStart: new Date(windowStart), count } })
      .run();
    return { allowed: true };
  }, { behavior: 'immediate' });
}

/** Forgets the attempts against `key` (after a successful sign-in, for the account's counter). */
export function clearRateLimit(key: string): void {
  getDb().delete(rateLimits).where(eq(rateLimits.key, key)).run();
}
