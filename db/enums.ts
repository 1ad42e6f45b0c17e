/*
 * The value sets that the schema stores and the forms, queries and scripts offer, each declared
 * once. Apart from db/schema.ts so client components can import them without the ORM.
 */

/** Pre-moderation of one article: 'site' follows the site-wide setting (PREMODERATION). */
export const ARTICLE_POLICIES = ['site', 'off', 'first', 'all'] as const;
export type ArticlePolicy = (typeof ARTICLE_POLICIES)[number];

/** The site-wide setting: an article policy other than 'site'. */
export const PREMODERATION_POLICIES = ['off', 'first', 'all'] as const satisfies readonly ArticlePolicy[];
export type PremoderationPolicy = (typeof PREMODERATION_POLICIES)[number];

export const ARTICLE_POLICY_LABELS: Record<Exclude<ArticlePolicy, 'site'>, string> = {
  off: 'Off',
  first: 'First comment of a new reader',
  all: 'All comments',
};

export const REPORT_REASONS = ['spam', 'abuse', 'off-topic', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export const REPORT_REASON_LABELS: Record<ReportReason, string> = {
  spam: 'Spam',
  abuse: 'Abusive or hateful',
  'off-topic': 'Off-topic',
  other: 'Something else',
};

/**
 * comments.moderation_reason of a comment a moderator rejected ("Reject" in the queue, "Hide" on
 * the page). Only these are emptied after RETAIN_REJECTED_DAYS: 'reports' (hidden by readers'
 * reports, awaiting a moderator) and 'ban' (hidden with its author's ban) are not decisions on the
 * comment itself.
 */
export const REJECTED_REASON = 'moderator';
