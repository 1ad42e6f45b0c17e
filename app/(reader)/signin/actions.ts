'use server';

import { AuthError } from 'next-auth';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { refuse } from '@/app/_lib/http/errors';
import { formAction } from '@/app/_lib/http/form-action';
import { RateLimitedSignIn, externalProviders, signIn } from '@/app/_lib/auth/config';
import { emailSchema, safeReturnPath, signInSchema } from '@/app/_lib/auth/validation';
import { sendResetLink, sendSignInLink } from '@/app/_lib/auth/email-links';
import { limitAccountMail } from '@/app/_lib/auth/sign-in-limits';
import { clientIp } from '@/app/_lib/http/client-ip';
import { publicOrigin } from '@/app/_lib/content/site';

/** Email and password sign-in. The check itself lives in Auth.js's authorize (app/_lib/auth/credentials.ts). */
export const signInWithPassword = formAction(
  signInSchema.extend({ callbackUrl: z.unknown().transform((value) => safeReturnPath(value)) }),
  async ({ email, password, callbackUrl }) => {
    try {
      await signIn('credentials', { email, password, redirectTo: callbackUrl });
    } catch (error) {
      if (error instanceof RateLimitedSignIn) return refuse('rate_limited:attempts', undefined, error.userMessage);
      if (error instanceof AuthError) return refuse('invalid:credentials');
      throw error; // the redirect that signIn throws on success
    }
    return { status: 'ok' };
  },
  { echo: ['email'], signsIn: true },
);

/** Starts the redirect to an external provider (OIDC, GitHub, Google). A RedirectForm's action, hence `_previous`. */
export async function signInWithProvider(_previous: void, formData: FormData): Promise<void> {
  const provider = formData.get('provider');
  const redirectTo = safeReturnPath(formData.get('callbackUrl'));
  // A provider that is not configured (a tampered form): say so on the sign-in page.
  if (!externalProviders().some((p) => p.id === provider)) {
    redirect(`/signin?error=provider&callbackUrl=${encodeURIComponent(redirectTo)}`);
  }
  await signIn(String(provider), { redirectTo });
}

/** The one answer to a link request, whether or not the address has an account. */
const linkSent = (email: string, what: string, lifetime: string) => ({
  status: 'ok' as const,
  message: `If ${email} has an account here, we sent it ${what}. It works once, for ${lifetime}. Nothing there? Check your spam folder, or ask again.`,
  values: { email },
});

async function limitLinkRequest(email: string) {
  const limit = limitAccountMail(clientIp(await headers()), email);
  return limit.ok ? null : refuse('rate_limited:attempts', undefined, limit.message);
}

/** "Email me a sign-in link". */
export const requestSignInLink = formAction(
  emailSchema,
  async ({ email }) => {
    const refused = await limitLinkRequest(email);
    if (refused) return refused;
    sendSignInLink(email, publicOrigin(await headers()));
    return linkSent(email, 'a sign-in link', '15 minutes');
  },
  { echo: ['email'], signsIn: true },
);

/** "Forgot your password?". */
export const requestPasswordReset = formAction(
  emailSchema,
  async ({ email }) => {
    const refused = await limitLinkRequest(email);
    if (refused) return refused;
    sendResetLink(email, publicOrigin(await headers()));
    return linkSent(email, 'a link to choose a new password', 'an hour');
  },
  { echo: ['email'], signsIn: true },
);
