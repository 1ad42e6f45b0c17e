'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import type { UserSummary } from '@/db/queries/users';
import type { Result } from '@/app/_lib/http/errors';
import { formAction } from '@/app/_lib/http/form-action';
import { countOf } from '@/app/_lib/format';
import {
  banReader,
  decideComment,
  decideComments,
  featureComment,
  setDiscussionClosed,
  setDiscussionPolicy,
  unbanReader,
} from '@/app/_lib/moderation/service';

/*
 * The moderation queue's actions. Each is a public POST endpoint: the role is checked inside
 * the moderation service, never only by the page that draws the buttons.
 */

/**
 * The form's text fields as sent, a repeated one as the list of its values: the moderation
 * service validates them, and refuses a list where it expects one value.
 */
const fields = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
type Fields = z.output<typeof fields>;

/** An action that hands the form to `service` and says `done` when it succeeds. */
function queueAction<T>(
  service: (viewer: UserSummary | null, input: Fields) => Promise<Result<T>>,
  done: (input: Fields, value: T) => string,
) {
  return formAction(
    fields,
    async (input, viewer) => {
      const result = await service(viewer, input);
      if (!result.ok) return result;
      revalidatePath('/moderation');
      return { status: 'ok', message: done(input, result.value) };
    },
    { repeated: 'all' },
  );
}

export const approveAction = queueAction((v, i) => decideComment(v, 'approve', i), () => 'Approved: the comment is shown.');
export const rejectAction = queueAction((v, i) => decideComment(v, 'reject', i), () => 'Rejected: the comment is hidden.');
export const restoreAction = queueAction((v, i) => decideComment(v, 'restore', i), () => 'Restored: the comment is shown again.');
export const featureAction = queueAction(featureComment, () => 'Saved.');
export const banAction = queueAction(banReader, () => 'The reader is banned.');
export const unbanAction = queueAction(unbanReader, () => 'The ban is lifted.');
export const policyAction = queueAction(setDiscussionPolicy, () => 'Pre-moderation updated.');
export const closeAction = queueAction(setDiscussionClosed, (input) => (input.closed === '1' ? 'The discussion is closed.' : 'The discussion is open again.'));

/** "Approved 2 comments: they are shown.", and what was left out. */
function bulkMessage({ decision, decided, skipped }: { decision: 'approve' | 'reject'; decided: number; skipped: number }): string {
  const done =
    decided === 0
      ? 'Nothing was decided.'
      : `${decision === 'approve' ? 'Approved' : 'Rejected'} ${countOf(decided, 'comment')}: ${decided === 1 ? 'it is' : 'they are'} ${decision === 'approve' ? 'shown' : 'hidden'}.`;
  return skipped === 0 ? done : `${done} ${countOf(skipped, 'comment')} ${skipped === 1 ? 'was' : 'were'} left as ${skipped === 1 ? 'it was' : 'they were'}: decided meanwhile, or not open to that decision.`;
}
export const bulkDecideAction = queueAction(decideComments, (_input, value) => bulkMessage(value));
