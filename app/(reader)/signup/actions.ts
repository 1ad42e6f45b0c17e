'use server';

import { headers } from 'next/headers';
import { z } from 'zod';
import { refuse } from '@/app/_lib/http/errors';
import { formAction } from '@/app/_lib/http/form-action';
import { startSignUp } from '@/app/_lib/auth/email-links';
import { limitSignUp } from '@/app/_lib/auth/sign-in-limits';
import { clientIp } from '@/app/_lib/http/client-ip';
import { publicOrigin } from '@/app/_lib/content/site';
import { hashPassword } from '@/app/_lib/auth/password';
import { safeReturnPath, signUpSchema } from '@/app/_lib/auth/validation';

/**
 * Sign-up creates nothing yet: it mails a link that creates the account, or, when the address
 * has one, a note to its owner. The answer and the work (hashing) are the same either way.
 */
export const signUp = formAction(
  signUpSchema.extend({ callbackUrl: z.unknown().transform((value) => safeReturnPath(value)) }),
  async ({ name, email, password, callbackUrl }) => {
    const h = await headers();
    const limit = limitSignUp(clientIp(h));
    if (!limit.ok) return refuse('rate_limited:attempts', undefined, limit.message);
    startSignUp({ name, email, passwordHash: await hashPassword(password), callbackUrl }, publicOrigin(h));
    return {
      status: 'ok',
      message: `We sent a link to ${email}. Open it within 24 hours to finish creating your account. Nothing there? Check your spam folder, or send the form again for a new link.`,
      values: { email },
    };
  },
  { echo: ['name', 'email'], signsIn: true },
);
