'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { changeDisplayName } from '@/app/_lib/auth/profile';
import { setReplyMail, unsubscribeDiscussion } from '@/app/_lib/notify/subscriptions';
import { formAction } from '@/app/_lib/http/form-action';
import { profileSchema } from '@/app/_lib/auth/validation';
import { articleCache } from '@/app/_lib/comments/article-cache';

/** Changes the signed-in reader's display name; the service checks the session and the rules. */
export const updateProfile = formAction(
  profileSchema,
  async ({ name }, user) => {
    const result = await changeDisplayName(user, { name });
    if (!result.ok) return result;
    // Names appear in the header of every per-request page, and beside comments on cached ones.
    articleCache.revalidateSite(user?.id ?? null);
    return { status: 'ok', message: `Saved. You now appear as “${result.value.name}”.`, values: { name: result.value.name } };
  },
  { echo: ['name'], invalid: 'Check the highlighted field.' },
);

/** "Email me about replies". */
export const setReplyMailAction = formAction(z.object({ notifyReplies: z.string().optional() }), async ({ notifyReplies }, user) => {
  const on = notifyReplies === 'on';
  const result = setReplyMail(user, on);
  if (!result.ok) return result;
  return { status: 'ok', message: result.value.message, values: { notifyReplies: on ? 'on' : '' } };
});

/** Unsubscribe from one discussion in the profile's list; the list is drawn again without it. */
export const unsubscribeDiscussionAction = formAction(
  z.object({ articleId: z.coerce.number().int().positive() }),
  async ({ articleId }, user) => {
    const result = unsubscribeDiscussion(user, articleId);
    if (!result.ok) return result;
    revalidatePath('/profile');
    return { status: 'ok', message: result.value.message };
  },
  { invalid: 'Choose a discussion to unsubscribe from.' },
);
