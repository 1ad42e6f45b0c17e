'use server';

import { AuthError } from 'next-auth';
import { redirect } from 'next/navigation';
import { formValues, type ActionState } from '@/app/_lib/http/action-state';
import { RateLimitedSignIn, externalProviders, signIn } from '@/app/_lib/auth/config';
import { fieldErrors, safeReturnPath, signInSchema } from '@/app/_lib/auth/validation';

const WRONG_CREDENTIALS = 'Email or password is incorrect.';

/** Email and password sign-in. The check itself lives in Auth.js's authorize (app/_lib/auth/credentials.ts). */
export async function signInWithPassword(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const values = formValues(formData, ['email']);
  const redirectTo = safeReturnPath(formData.get('callbackUrl'));
  const parsed = signInSchema.safeParse({ email: formData.get('email'), password: formData.get('password') });
  if (!parsed.success) {
    return { status: 'invalid', message: 'Check the highlighted fields.', fields: fieldErrors(parsed.error), values };
  }
  try {
    await signIn('credentials', { ...parsed.data, redirectTo });
  } catch (error) {
    if (error instanceof RateLimitedSignIn) return { status: 'rate_limited', message: error.userMessage, values };
    if (error instanceof AuthError) return { status: 'invalid', message: WRONG_CREDENTIALS, values };
    throw error; // the redirect that signIn throws on success
  }
  return { status: 'ok' };
}

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
