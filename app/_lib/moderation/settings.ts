/**
 * Moderation and flood-control settings, from the environment with the defaults below. Read
 * on every use, so a test or the benchmark can set them for its own server.
 */
export type PremoderationPolicy = 'off' | 'first' | 'all';

function number(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback;
}

export function moderationSettings(env: Record<string, string | undefined> = process.env) {
  const policy = env.PREMODERATION;
  return {
    /** Site-wide pre-moderation; an article may override it. */
    premoderation: (policy === 'first' || policy === 'all' ? policy : 'off') as PremoderationPolicy,
    /** Reports from this many readers hide a comment until a moderator looks. */
    reportThreshold: number(env.REPORT_HIDE_THRESHOLD, 3),
    /**
     * Only reports from accounts this old, with a shown comment, count toward that threshold:
     * accounts made to hide comments would otherwise cost three sign-ups.
     */
    reporterMinAgeMs: number(env.REPORT_MIN_ACCOUNT_AGE_HOURS, 24) * 60 * 60_000,
    /** A comment with this many links or more waits for review. */
    holdLinksAt: number(env.HOLD_LINKS_AT, 2),
    /** Comments containing any of these words (comma-separated, case-insensitive) wait for review. */
    heldWords: (env.HOLD_WORDS ?? '').split(',').map((w) => w.trim().toLowerCase()).filter(Boolean),
    /** Flood control per reader. */
    minIntervalMs: number(env.COMMENT_MIN_INTERVAL_SECONDS, 15) * 1000,
    perHour: number(env.COMMENT_HOURLY_LIMIT, 30),
    duplicateWindowMs: number(env.COMMENT_DUPLICATE_MINUTES, 10) * 60_000,
    rateLimitsOff: env.COMMENT_RATE_LIMIT_DISABLED === '1',
  };
}
