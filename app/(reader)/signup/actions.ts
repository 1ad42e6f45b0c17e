'use server';

import { headers } from 'next/headers';
import { z } from 'zod';
import { EmailTakenError, createPasswordUser, emailIsTaken } from '@/db/queries/users';
import { refuse } from '@/app/_lib/http/errors';
import { formAction } from '@/app/_lib/http/form-action';
import { signIn } from '@/app/_lib/auth/config';
import { limitSignUp } from '@/app/_lib/auth/sign-in-limits';
import { clientIp } from '@/app/_lib/http/client-ip';
import { hashPassword } from '@/app/_lib/auth/password';
import { safeReturnPath, signUpSchema } from '@/app/_lib/auth/validation';

const emailTaken = () => refuse('conflict:email_taken', { email: 'An account with this email already exists. Sign in instead.' });

/** Creates an email-and-password account, then signs the reader in and returns them. */
export const signUp = formAction(
  signUpSchema.extend({ callbackUrl: z.unknown().transform((value) => safeReturnPath(value)) }),
  async ({ name, email, password, callbackUrl }) => {
    const limit = limitSignUp(clientIp(await headers()));
    if (!limit.ok) return refuse('rate_limited:attempts', undefined, limit.message);
    if (emailIsTaken(email)) return emailTaken();
    try {
      createPasswordUser({ name, email, passwordHash: await hashPassword(password) });
    } catch (error) {
      if (error instanceof EmailTakenError) return emailTaken();
      throw error;
    }
    await signIn('credentials', { email, password, redirectTo: callbackUrl });
    return { status: 'ok' };
  },
  { echo: ['name', 'email'], signsIn: true },
);
