import { z } from 'zod';
import { ARTICLE_POLICIES } from '@/db/enums';
import { commentBody, recordId } from '../comments/validation';

const commentId = recordId('comment');
const NO_ARTICLE = 'That article does not exist.';
const slug = z.string({ error: NO_ARTICLE }).min(1, NO_ARTICLE).max(200, NO_ARTICLE);
/** A hidden "1" or "0"; anything else is a form that was not ours. */
const flag = z.enum(['1', '0'], { error: 'Check the form and try again.' }).transform((v) => v === '1');
const reason = z.preprocess(
  (value) => (typeof value === 'string' ? value.trim() : value),
  z.string().max(500, 'Keep the reason to 500 characters.').optional(),
);

/**
 * The article a shortcut on an article page was pressed on; the queue, which lists every
 * article's comments, sends none. Empty is refused, so a form cannot drop out of its article.
 */
const articleSlug = slug.optional();

export const commentDecisionSchema = z.object({ commentId, articleSlug, reason });

/** As many as the queue lists at once (db/queries/moderation.ts). */
export const BULK_LIMIT = 100;
const NOTHING_SELECTED = 'Select the comments to decide first.';

/** The queue's bulk form: the ticked comments (one or several) and which way to decide them. */
export const bulkDecisionSchema = z.object({
  commentId: z.preprocess(
    (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
    z.array(commentId).min(1, NOTHING_SELECTED).max(BULK_LIMIT, `Decide at most ${BULK_LIMIT} comments at once.`),
  ),
  decision: z.enum(['approve', 'reject'], { error: 'Check the form and try again.' }),
});

const EDIT_REASON = 'Say why you changed the comment; readers see it in its history.';

/** A moderator's edit: the new text, and the reason the history shows readers beside it. */
export const moderatorEditSchema = z.object({
  commentId,
  articleSlug,
  body: commentBody,
  reason: z.string({ error: EDIT_REASON }).trim().min(1, EDIT_REASON).max(500, 'Keep the reason to 500 characters.'),
});

export const featureSchema = z.object({ commentId, articleSlug, featured: flag });

/** A reader's id from a hidden field; a missing or malformed one is a reader who does not exist. */
const userId = z.string({ error: 'That reader does not exist.' }).min(1, 'That reader does not exist.').max(64, 'That reader does not exist.');

export const banSchema = z.object({
  userId,
  reason: z.string({ error: 'Say why the reader is banned; they will see it.' }).trim().min(1, 'Say why the reader is banned; they will see it.').max(500),
  /** A date (YYYY-MM-DD) the ban ends, or empty for a ban until it is lifted. */
  until: z.preprocess(
    (value) => (value === '' || value === null ? undefined : value),
    z.coerce
      .date({ error: 'Give the end date as a date, or leave it empty.' })
      .refine((d) => d.getTime() > Date.now(), 'The end date must be in the future.')
      .optional(),
  ),
  hideComments: z.preprocess((value) => value === 'on' || value === '1' || value === true, z.boolean()),
});

export const unbanSchema = z.object({ userId });

export const articlePolicySchema = z.object({
  slug,
  moderation: z.enum(ARTICLE_POLICIES, { error: 'Choose a policy.' }),
});

export const articleClosedSchema = z.object({ slug, closed: flag });
