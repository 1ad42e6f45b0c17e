import 'server-only';
import { clearRateLimit, hitRateLimit } from '@/db/queries/rate-limits';
import { rateLimits } from '../limits';

const MINUTE = 60_000;

/** Attempt limits for signing in and up (app/_lib/limits.ts), read at start. Every limit is per fixed window and survives restarts. */
export const AUTH_LIMITS = rateLimits();

export type LimitVerdict = { ok: true } | { ok: false; message: string; retryAfterMs: number };

export function tryAgainMessage(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / MINUTE));
  return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

function check(keys: [string, { limit: number; windowMs: number }][]): LimitVerdict {
  for (const [key, { limit, windowMs }] of keys) {
    const result = hitRateLimit(key, limit, windowMs);
    if (!result.allowed) return { ok: false, message: tryAgainMessage(result.retryAfterMs), retryAfterMs: result.retryAfterMs };
  }
  return { ok: true };
}

export function limitSignIn(ip: string, email: string): LimitVerdict {
  return check([
    [`signin:ip:${ip}`, AUTH_LIMITS.signInPerIp],
    [`signin:email:${email}`, AUTH_LIMITS.signInPerAccount],
  ]);
}

/** A correct password clears the account's counter, so a reader's own typos do not pile up. */
export function signInSucceeded(email: string): void {
  clearRateLimit(`signin:email:${email}`);
}

export function limitSignUp(ip: string): LimitVerdict {
  return check([[`signup:ip:${ip}`, AUTH_LIMITS.signUpPerIp]]);
}
