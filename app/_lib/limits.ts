/*
 * Every limit, in one place: the sizes the forms show and the schemas enforce, and the rate
 * limits with their settings. The sizes are constants, so client components can import them
 * without shipping zod to the browser; the rate limits are read from the environment on every
 * use, so a test or the benchmark can set them for its own server.
 */
import { formatCount } from './format';

export const COMMENT_MAX = 5000;

/**
 * Why a comment of `length` characters (code points) is refused for its length, or null: the
 * schema's message, which the comment box also shows as the reader types past the limit.
 */
export function commentTooLong(length: number): string | null {
  return length > COMMENT_MAX ? `Comments can be up to ${formatCount(COMMENT_MAX)} characters; yours has ${formatCount(length)}.` : null;
}

/**
 * "Undo" after a reader deletes their comment: offered for about 10 s, and honoured by the server
 * for 30 s, so a slow connection or a plain form post still makes it.
 */
export const UNDO_SHOWN_MS = 10_000;
export const UNDO_MS = 30_000;

export const NAME_MAX = 50;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

type Env = Record<string, string | undefined>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const warned = new Set<string>();

/**
 * A whole number from a setting, at least `min`; unset or empty gives the default. Anything
 * else (`abc`, `-1`, `1e999`) also gives the default, with a warning in the log, once per value:
 * `Number('abc')` is NaN, and a NaN limit would have let every attempt through.
 */
export function envInteger(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (value >= min) return value;
  if (!warned.has(`${name}=${raw}`)) {
    warned.add(`${name}=${raw}`);
    console.warn(`${name}=${JSON.stringify(raw)} is not a whole number of at least ${min}; using the default, ${fallback}.`);
  }
  return fallback;
}

/** A count of attempts allowed per fixed window. */
export type Window = { limit: number; windowMs: number };

/** The rate limits now, from the environment and the defaults below (README, "Settings"). */
export function rateLimits(env: Env = process.env) {
  const perWindow = (name: string, fallback: number, windowMs: number): Window => ({ limit: envInteger(env, name, fallback, 1), windowMs });
  return {
    /* Signing in and up, per client address and per account (app/_lib/auth/sign-in-limits.ts). */
    signInPerIp: perWindow('AUTH_SIGNIN_LIMIT_PER_IP', 30, 15 * MINUTE),
    /** Per account and client together: one client guessing cannot lock the owner out elsewhere. */
    signInPerAccount: perWindow('AUTH_SIGNIN_LIMIT_PER_ACCOUNT', 5, 15 * MINUTE),
    /** Per account from all clients: past this, every answer waits `delayMs` instead of refusing. */
    signInSlowDown: { ...perWindow('AUTH_SIGNIN_SLOW_AFTER', 20, 15 * MINUTE), delayMs: 2_000 },
    signUpPerIp: perWindow('AUTH_SIGNUP_LIMIT_PER_IP', 10, HOUR),
    /** Drafts kept for signed-out readers, per client address. */
    draftsPerIp: perWindow('DRAFT_LIMIT_PER_IP', 30, HOUR),
    /** Flood control per reader; COMMENT_RATE_LIMIT_DISABLED=1 turns it off with the limits below. */
    comments: {
      minIntervalMs: envInteger(env, 'COMMENT_MIN_INTERVAL_SECONDS', 15) * 1000,
      perHour: envInteger(env, 'COMMENT_HOURLY_LIMIT', 30, 1),
      duplicateWindowMs: envInteger(env, 'COMMENT_DUPLICATE_MINUTES', 10) * MINUTE,
    },
    /** Each of these re-renders cached pages, so each is throttled per reader. */
    votes: perWindow('VOTE_LIMIT_PER_MINUTE', 60, MINUTE),
    stances: perWindow('STANCE_LIMIT_PER_MINUTE', 20, MINUTE),
    edits: perWindow('EDIT_LIMIT_PER_HOUR', 30, HOUR),
    renames: perWindow('RENAME_LIMIT_PER_HOUR', 5, HOUR),
    readerLimitsOff: env.COMMENT_RATE_LIMIT_DISABLED === '1',
    /** Writes to one article within this window share one revalidation of its cached pages. */
    revalidateWindowMs: envInteger(env, 'REVALIDATE_WINDOW_MS', 1000),
  };
}
