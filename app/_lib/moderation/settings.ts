import { PREMODERATION_POLICIES, type PremoderationPolicy } from '@/db/enums';
import { envInteger } from '../limits';

export type { PremoderationPolicy };

/**
 * Moderation settings, from the environment with the defaults below. Read on every use, so a
 * test or the benchmark can set them for its own server. Flood control is in ../limits.ts.
 */
export function moderationSettings(env: Record<string, string | undefined> = process.env) {
  const policy = env.PREMODERATION;
  return {
    /** Site-wide pre-moderation; an article may override it. */
    premoderation: ((PREMODERATION_POLICIES as readonly string[]).includes(policy ?? '') ? policy : 'off') as PremoderationPolicy,
    /** Reports from this many readers hide a comment until a moderator looks. */
    reportThreshold: envInteger(env, 'REPORT_HIDE_THRESHOLD', 3),
    /**
     * Only reports from accounts this old, with a shown comment, count toward that threshold:
     * accounts made to hide comments would otherwise cost three sign-ups.
     */
    reporterMinAgeMs: envInteger(env, 'REPORT_MIN_ACCOUNT_AGE_HOURS', 24) * 60 * 60_000,
    /** A comment with this many links or more waits for review (0: never). */
    holdLinksAt: envInteger(env, 'HOLD_LINKS_AT', 2),
    /** Comments containing any of these words (comma-separated, case-insensitive) wait for review. */
    heldWords: (env.HOLD_WORDS ?? '').split(',').map((w) => w.trim().toLowerCase()).filter(Boolean),
  };
}
