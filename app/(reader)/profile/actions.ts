'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { headers } from 'next/headers';
import { z } from 'zod';
import { changeDisplayName } from '@/app/_lib/auth/profile';
import { setReplyMail, unsubscribeDiscussion } from '@/app/_lib/notify/subscriptions';
import { changePassword, requestEmailChange, requestVerification } from '@/app/_lib/auth/account';
import { signInAfresh } from '@/app/_lib/auth/sign-in-afresh';
import { getCurrentSession } from '@/app/_lib/auth/session';
import { endOtherSessions, endSession } from '@/app/_lib/auth/sessions';
import { countOf } from '@/app/_lib/format';
import { refuse } from '@/app/_lib/http/errors';
import { formAction } from '@/app/_lib/http/form-action';
import { clientIp } from '@/app/_lib/http/client-ip';
import { publicOrigin } from '@/app/_lib/content/site';
import { profileSchema } from '@/app/_lib/auth/validation';
import { articleCache } from '@/app/_lib/comments/article-cache';
import { claimImportedComments } from '@/app/_lib/account/claim';

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
/** The schema only bounds the fields; the service checks them, so the rules live in one place. */
const passwordFields = z.object({ currentPassword: z.string().optional(), password: z.string().optional() });

/** A new password: every other session ends, this browser is signed in afresh. */
export const updatePassword = formAction(passwordFields, async (input, user) => {
  const result = await changePassword(user, input, clientIp(await headers()));
  if (!result.ok) return result;
  return signInAfresh(user!, '/profile?done=password');
});

export const updateEmail = formAction(
  z.object({ email: z.string().optional() }),
  async (input, user) => {
    const h = await headers();
    const result = requestEmailChange(user, input, clientIp(h), publicOrigin(h));
    if (!result.ok) return result;
    return {
      status: 'ok',
      message: `Check your email: we sent a link to ${result.value.email}. Your address changes when you open it (within 24 hours); until then, ${user?.email} stays.`,
    };
  },
  { echo: ['email'] },
);

export const sendVerification = formAction(z.object({}), async (_input, user) => {
  const h = await headers();
  const result = requestVerification(user, clientIp(h), publicOrigin(h));
  if (!result.ok) return result;
  if (result.value.already) return { status: 'ok', message: 'Your address is already confirmed.' };
  return { status: 'ok', message: `Check your email: we sent a confirmation link to ${result.value.email}. It works for 24 hours.` };
});

/**
 * The profile's list of sign-ins: a row's "Sign out" sends its sessionId, "Sign out everywhere
 * else" sends scope=others. Exactly one of the two: a real form sends only the pressed button.
 */
export const endSessionsAction = formAction(
  z.object({ sessionId: z.string().min(1).max(64).optional(), scope: z.literal('others').optional() }),
  async ({ sessionId, scope }, user) => {
    if ((sessionId === undefined) === (scope === undefined)) return refuse('invalid:form', undefined, 'Choose a sign-in to end.');
    const current = (await getCurrentSession())?.sessionId ?? null;
    if (scope) {
      const result = endOtherSessions(user, current);
      if (!result.ok) return result;
      revalidatePath('/profile');
      const { ended } = result.value;
      return { status: 'ok', message: ended === 0 ? 'You were not signed in anywhere else.' : `Signed out ${countOf(ended, 'other session')}. Only this browser is still signed in.` };
    }
    const result = endSession(user, current, sessionId!);
    if (!result.ok) return result;
    revalidatePath('/profile');
    return { status: 'ok', message: `Signed out ${result.value.device}. Its next request will be signed out.` };
  },
  { invalid: 'Choose a sign-in to end.' },
);

/** "Claim these comments": imported comments under the reader's confirmed address become theirs. */
export const claimImportedAction = formAction(z.object({}), async (_input, user) => {
  const result = claimImportedComments(user);
  if (!result.ok) return result;
  // The section goes once nothing is left to claim, so the outcome is said at the top of the page.
  redirect(`/profile?done=claimed&count=${result.value.moved}`);
});
