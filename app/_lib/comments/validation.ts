import { z } from 'zod';
import { REPORT_REASONS } from '@/db/enums';

import { COMMENT_MAX, commentTooLong } from '../limits';

export { COMMENT_MAX };

/** Text SQLite and every page can hold: no null bytes, no lone surrogates. */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}

/** The comment text: line endings unified, refused when empty, too long or unstorable. */
export const commentBody = z
  .string({ error: 'Write your comment first.' })
  .transform((body) => body.replace(/\r\n?/g, '\n'))
  .superRefine((body, ctx) => {
    if (body.trim().length === 0) {
      ctx.addIssue({ code: 'custom', message: 'Write something before posting: the comment is empty.' });
    } else if (commentTooLong([...body].length)) {
      ctx.addIssue({ code: 'custom', message: commentTooLong([...body].length)! });
    } else if (!isStorableText(body)) {
      ctx.addIssue({ code: 'custom', message: 'Your comment contains characters that cannot be stored. Remove them and try again.' });
    }
  });

/**
 * A row id, from JSON (a number) or a form (decimal digits only: "0x1", "1e0" and " 1" are not
 * ids, though Number() would read them as 1). Anything else reads as "does not exist".
 */
export const recordId = (what: string) => {
  const unknown = `That ${what} does not exist.`;
  return z.preprocess(
    (value) => (typeof value === 'string' && /^[0-9]{1,16}$/.test(value) ? Number(value) : value),
    z.number({ error: unknown }).int(unknown).positive(unknown).max(Number.MAX_SAFE_INTEGER, unknown),
  );
};
const id = recordId;

/** An optional id from a form: empty means none. */
const optionalId = (what: string) =>
  z.preprocess((value) => (value === '' || value === null ? undefined : value), id(what).optional());

const STALE_FORM = 'This form could not be read. Reload the page and post again.';

export const postCommentSchema = z.object({
  body: commentBody,
  parentId: optionalId('comment'),
  questionKey: z.preprocess(
    (value) => (value === '' || value === null ? undefined : value),
    z.string().max(64).regex(/^[a-z0-9-]+$/, 'That question is not part of this article.').optional(),
  ),
  clientToken: z.preprocess(
    (value) => (value === '' || value === null ? undefined : value),
    // The form's own random token; anything else is a form this page did not draw.
    z.string().max(64, STALE_FORM).regex(/^[A-Za-z0-9_-]+$/, STALE_FORM).optional(),
  ),
});

export const editCommentSchema = z.object({ commentId: id('comment'), body: commentBody });
export const commentRefSchema = z.object({ commentId: id('comment') });
export const voteSchema = z.object({
  commentId: id('comment'),
  /** "up" to vote, "none" to take the vote back; without it the vote is toggled. */
  vote: z.enum(['up', 'none']).optional(),
});

export type PostCommentInput = z.input<typeof postCommentSchema>;

const key = z.string().max(64).regex(/^[a-z0-9-]+$/);

/** A stance on a closed question: the question's key and the chosen answer's key. */
export const stanceSchema = z.object({
  questionKey: key,
  choice: z.string({ error: 'Pick one of the answers.' }).max(64).regex(/^[a-z0-9-]+$/, 'Pick one of the answers.'),
});

export const reportSchema = z.object({
  commentId: id('comment'),
  reason: z.enum(REPORT_REASONS, { error: 'Choose why you are reporting this comment.' }),
  details: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.string().trim().max(500, 'Keep the details to 500 characters.').optional(),
  ),
}).refine((r) => r.reason !== 'other' || Boolean(r.details), { message: 'Say what is wrong with it.', path: ['details'] });
