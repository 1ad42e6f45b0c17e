'use server';

import { headers } from 'next/headers';
import { EmailTakenError, createPasswordUser, emailIsTaken } from '@/db/queries/users';
import { formValues, type ActionState } from '@/app/_lib/http/action-state';
import { signIn } from '@/app/_lib/auth/config';
import { limitSignUp } from '@/app/_lib/auth/sign-in-limits';
import { clientIp } from '@/app/_lib/http/client-ip';
import { hashPassword } from '@/app/_lib/auth/password';
import { fieldErrors, safeReturnPath, signUpSchema } from '@/app/_lib/auth/validation';

const EMAIL_TAKEN = 'An account with this email already exists. Sign in instead.';

/** Creates an email-and-password account, then signs the reader in and returns them. */
export async function signUp(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const values = formValues(formData, ['name', 'email']);
  const redirectTo = safeReturnPath(formData.get('callbackUrl'));
  const parsed = signUpSchema.safeParse({
    name: formData.get('name'),
    email: formData.get('email'),
    password: formData.get('password'),
  });
  if (!parsed.success) {
    return { status: 'invalid', message: 'Check the highlighted fields.', fields: fieldErrors(parsed.error), values };
  }

  const limit = limitSignUp(clientIp(await headers()));
  if (!limit.ok) return { status: 'rate_limited', message: limit.message, values };

  const { name, email, password } = parsed.data;
  if (emailIsTaken(email)) return { status: 'invalid', message: EMAIL_TAKEN, fields: { email: EMAIL_TAKEN }, values };
  try {
    createPasswordUser({ name, email, passwordHash: await hashPassword(password) });
  } catch (error) {
    if (error instanceof EmailTakenError) {
      return { status: 'invalid', message: EMAIL_TAKEN, fields: { email: EMAIL_TAKEN }, values };
    }
    throw error;
  }
  await signIn('credentials', { email, password, redirectTo });
  return { status: 'ok' };
}
