'use server';

import { AuthError } from 'next-auth';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { refuse } from '@/app/_lib/http/errors';
import { formAction } from '@/app/_lib/http/form-action';
import { RateLimitedSignIn, externalProviders, signIn } from '@/app/_lib/auth/config';
import { safeReturnPath, signInSchema } from '@/app/_lib/auth/validation';

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
