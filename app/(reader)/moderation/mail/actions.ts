'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { formAction } from '@/app/_lib/http/form-action';
import { retryFailed } from '@/app/_lib/mail/admin';

/** "Send again", for one failed message or all; the admin check is in the service. */
export const retryMailAction = formAction(z.object({ id: z.string() }), async (input, viewer) => {
  const result = retryFailed(viewer, input);
  if (!result.ok) return result;
  revalidatePath('/moderation/mail');
  // The row (or the whole list) this form sits in is gone once the mail is queued, and its
  // answer with it: the page says what was done instead, with or without JavaScript.
  redirect(`/moderation/mail?queued=${result.value.queued}`);
});
