import type { PremoderationPolicy } from '@/db/enums';
import { settings } from '../config.mjs';

export type { PremoderationPolicy };

/**
 * Moderation settings (declared in ../config.mjs, with their defaults): this process's, or those
 * of `env` (tests). Flood control is in ../limit-settings.ts.
 */
export function moderationSettings(env?: Record<string, string | undefined>) {
  const s = settings(env);
  return {
    /** Site-wide pre-moderation; an article may override it. */
    premoderation: s.PREMODERATION satisfies PremoderationPolicy,
    /** Reports from this many readers hide a comment until a moderator looks. */
    reportThreshold: s.REPORT_HIDE_THRESHOLD,
    /**
     * Only reports from accounts this old, with a shown comment, count toward that threshold:
     * accounts made to hide comments would otherwise cost three sign-ups.
     */
    reporterMinAgeMs: s.REPORT_MIN_ACCOUNT_AGE_HOURS * 60 * 60_000,
    /** A comment with this many links or more waits for review (0: never). */
    holdLinksAt: s.HOLD_LINKS_AT,
    /** Comments containing any of these words (comma-separated, case-insensitive) wait for review. */
    heldWords: s.HOLD_WORDS,
    /** REQUIRE_VERIFIED_EMAIL: new comments by readers with an unproven address wait for review. */
    requireVerifiedEmail: s.REQUIRE_VERIFIED_EMAIL,
  };
}
