import 'server-only';
import { hitRateLimit, type RateLimitResult } from '@/db/queries/rate-limits';
import { metrics } from './ops/metrics';

/**
 * The limits counted per client address. Their keys hold the address ("signin:ip:203.0.113.9",
 * "signin:email-ip:a@b.example|203.0.113.9"), so the retention job deletes them after
 * RETAIN_IP_DAYS at most (app/_lib/retention.ts) and the privacy page lists them: a new limit
 * keyed by an address takes its name from here.
 */
export const ADDRESS_LIMITS = {
  signIn: 'signin:ip',
  /** An account and a client together. */
  signInAccount: 'signin:email-ip',
  signUp: 'signup:ip',
  accountMail: 'account-mail:ip',
  draft: 'draft:ip',
} as const;

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
