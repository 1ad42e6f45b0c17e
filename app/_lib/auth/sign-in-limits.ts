import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { clearRateLimit } from '@/db/queries/rate-limits';
import { ADDRESS_LIMITS, takeLimit } from '../rate-limit';
import { rateLimits } from '../limit-settings';

const MINUTE = 60_000;

/** Attempt limits for signing in and up (app/_lib/limit-settings.ts), read at start. Every limit is per fixed window and survives restarts. */
export const AUTH_LIMITS = rateLimits();

export type LimitVerdict = { ok: true } | { ok: false; message: string; retryAfterMs: number };

export function tryAgainMessage(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / MINUTE));
  return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}

function check(limits: [name: string, subject: string, { limit: number; windowMs: number }][]): LimitVerdict {
  for (const [name, subject, window] of limits) {
    const result = takeLimit(name, subject, window);
    if (!result.allowed) return { ok: false, message: tryAgainMessage(result.retryAfterMs), retryAfterMs: result.retryAfterMs };
  }
  return { ok: true };
}

const accountClient = (ip: string, email: string) => `${email}|${ip}`;

/**
 * Counts one sign-in attempt. A client is refused after too many attempts from it, overall or
 * on one account. An account guessed at from many clients is only slowed: a lockout would
 * keep its owner out too, and the wait makes guessing from many addresses slow all the same.
 */
export async function limitSignIn(ip: string, email: string): Promise<LimitVerdict> {
  const verdict = check([
    [ADDRESS_LIMITS.signIn, ip, AUTH_LIMITS.signInPerIp],
    [ADDRESS_LIMITS.signInAccount, accountClient(ip, email), AUTH_LIMITS.signInPerAccount],
  ]);
  if (!verdict.ok) return verdict;
  if (!takeLimit('signin:email', email, AUTH_LIMITS.signInSlowDown).allowed) await sleep(AUTH_LIMITS.signInSlowDown.delayMs);
  return verdict;
}

/** A correct password clears this client's counter for the account, so a reader's own typos do not pile up. */
export function signInSucceeded(ip: string, email: string): void {
  clearRateLimit(`${ADDRESS_LIMITS.signInAccount}:${accountClient(ip, email)}`);
}

export function limitSignUp(ip: string): LimitVerdict {
  return check([[ADDRESS_LIMITS.signUp, ip, AUTH_LIMITS.signUpPerIp]]);
}

/**
 * Counts one request for a reset or sign-in link, whether or not the address has an account
 * (the answer must not differ): per client, then per address.
 */
export function limitAccountMail(ip: string, email: string): LimitVerdict {
  return check([
    [ADDRESS_LIMITS.accountMail, ip, AUTH_LIMITS.accountMailPerIp],
    ['account-mail:email', email, AUTH_LIMITS.accountMailPerAddress],
  ]);
}
