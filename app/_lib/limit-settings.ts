/*
 * The rate limits, from their settings (app/_lib/config.mjs declares each, with its default and
 * what it accepts; a bad one stops the server at start). Not in ./limits.ts, whose sizes client
 * components import: this module brings in the settings and zod, which the browser must not load.
 */
import { settings } from './config.mjs';

type Env = Record<string, string | undefined>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A count of attempts allowed per fixed window. */
export type Window = { limit: number; windowMs: number };

/**
 * The rate limits now: this process's settings, or those of `env` (tests), which throws a
 * ConfigError for a value the server would refuse at start.
 */
export function rateLimits(env?: Env) {
  const s = settings(env);
  const perWindow = (limit: number, windowMs: number): Window => ({ limit, windowMs });
  return {
    /* Signing in and up, per client address and per account (app/_lib/auth/sign-in-limits.ts). */
    signInPerIp: perWindow(s.AUTH_SIGNIN_LIMIT_PER_IP, 15 * MINUTE),
    /** Per account and client together: one client guessing cannot lock the owner out elsewhere. */
    signInPerAccount: perWindow(s.AUTH_SIGNIN_LIMIT_PER_ACCOUNT, 15 * MINUTE),
    /** Per account from all clients: past this, every answer waits `delayMs` instead of refusing. */
    signInSlowDown: { ...perWindow(s.AUTH_SIGNIN_SLOW_AFTER, 15 * MINUTE), delayMs: 2_000 },
    signUpPerIp: perWindow(s.AUTH_SIGNUP_LIMIT_PER_IP, HOUR),
    /** Reset and sign-in links: per address (its owner's inbox) and per client. */
    accountMailPerAddress: perWindow(s.AUTH_MAIL_LIMIT_PER_ADDRESS, HOUR),
    accountMailPerIp: perWindow(s.AUTH_MAIL_LIMIT_PER_IP, HOUR),
    /** Drafts kept for signed-out readers, per client address. */
    draftsPerIp: perWindow(s.DRAFT_LIMIT_PER_IP, HOUR),
    /** Flood control per reader; COMMENT_RATE_LIMIT_DISABLED=1 turns it off with the limits below. */
    comments: {
      minIntervalMs: s.COMMENT_MIN_INTERVAL_SECONDS * 1000,
      perHour: s.COMMENT_HOURLY_LIMIT,
      duplicateWindowMs: s.COMMENT_DUPLICATE_MINUTES * MINUTE,
    },
    /** Each of these re-renders cached pages, so each is throttled per reader. */
    votes: perWindow(s.VOTE_LIMIT_PER_MINUTE, MINUTE),
    stances: perWindow(s.STANCE_LIMIT_PER_MINUTE, MINUTE),
    edits: perWindow(s.EDIT_LIMIT_PER_HOUR, HOUR),
    renames: perWindow(s.RENAME_LIMIT_PER_HOUR, HOUR),
    /** "Download my data": each file reads everything the reader ever wrote. */
    exports: perWindow(s.EXPORT_LIMIT_PER_HOUR, HOUR),
    readerLimitsOff: s.COMMENT_RATE_LIMIT_DISABLED,
    /** Writes to one article within this window share one revalidation of its cached pages. */
    revalidateWindowMs: s.REVALIDATE_WINDOW_MS,
  };
}
