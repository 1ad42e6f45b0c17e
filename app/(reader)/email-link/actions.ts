'use server';

import { AuthError } from 'next-auth';
import { getUserSummary } from '@/db/queries/users';
import type { EmailLink } from '@/db/queries/email-tokens';
import { refuse } from '@/app/_lib/http/errors';
import { formAction } from '@/app/_lib/http/form-action';
import { RefusedLink, signIn } from '@/app/_lib/auth/config';
import { describeLink, redeemLink } from '@/app/_lib/auth/email-links';
import { hashPassword } from '@/app/_lib/auth/password';
import { signInAfresh } from '@/app/_lib/auth/sign-in-afresh';
import { emailLinkSchema, fieldErrors, newPasswordSchema, safeReturnPath } from '@/app/_lib/auth/validation';

/** Where each kind of link leaves the reader, signed in. */
function destination(link: EmailLink): string {
  if (link.purpose === 'signup') return safeReturnPath(link.payload.callbackUrl);
  if (link.purpose === 'verify') return '/profile?done=verified';
  if (link.purpose === 'email-change') return '/profile?done=email';
  return '/';
}

/**
 * A mailed link's button: uses the link up and signs the reader in. A reset link sets the new
 * password first (every other session ends); the others are used up inside Auth.js's
 * email-link provider, so the sign-in and the link stand or fall together.
 */
export const followEmailLink = formAction(
  emailLinkSchema,
  async ({ token, password }) => {
    const seen = describeLink(token);
    if (!seen.ok) return seen;
    if (seen.value.purpose === 'reset') {
      const parsed = newPasswordSchema.safeParse({ password: password ?? '' });
      if (!parsed.success) return refuse('invalid:form', fieldErrors(parsed.error), 'Choose a new password.');
      const result = redeemLink(token, 'reset', await hashPassword(parsed.data.password));
      if (!result.ok) return result;
      const user = getUserSummary(result.value.userId);
      if (!user) return refuse('not_found:link');
      return signInAfresh(user, '/profile?done=password');
    }
    try {
      await signIn('email-link', { token, redirectTo: destination(seen.value) });
    } catch (error) {
      if (error instanceof RefusedLink) return refuse('not_found:link', undefined, error.userMessage);
      if (error instanceof AuthError) return refuse('not_found:link');
      throw error; // the redirect that signIn throws on success
    }
    return { status: 'ok' };
  },
  { signsIn: true },
);
