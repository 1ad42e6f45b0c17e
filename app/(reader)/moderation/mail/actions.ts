'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formAction } from '@/app/_lib/http/form-action';
import { retryFailed } from '@/app/_lib/mail/admin';

/** "Send again", for one failed message or all; the admin check is in the service. */
export const retryMailAction = formAction(z.object({ id: z.string() }), async (input, viewer) => {
  const result = retryFailed(viewer, input);
  if (!result.ok) return result;
  revalidatePath('/moderation/mail');
  const { queued } = result.value;
  return { status: 'ok', message: queued === 1 ? 'Queued: it is being sent again.' : `Queued ${queued} messages: they are being sent again.` };
});
