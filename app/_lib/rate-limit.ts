import 'server-only';
import { hitRateLimit, type RateLimitResult } from '@/db/queries/rate-limits';
import { metrics } from './ops/metrics';

/**
 * Counts one attempt by `subject` (a reader id, a client address) against the limit `name`
 * ("signin:ip", "vote", ...; app/_lib/limit-settings.ts has the numbers), and counts a refusal in the
 * metrics under that name. Every rate limit goes through here.
 */
export function takeLimit(name: string, subject: string, { limit, windowMs }: { limit: number; windowMs: number }): RateLimitResult {
  const result = hitRateLimit(`${name}:${subject}`, limit, windowMs);
  if (!result.allowed) countRefusal(name);
  return result;
}

/** A refusal by a limit that is not a counter (a repeated comment). */
export function countRefusal(name: string): void {
  metrics().rateLimited.inc({ limit: name });
}
