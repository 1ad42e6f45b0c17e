'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { accountGone, deleteAccount } from '@/app/_lib/account/delete';
import { signOut } from '@/app/_lib/auth/config';
import { currentSessionToken } from '@/app/_lib/auth/session';
import { DRAFT_COOKIE } from '@/app/_lib/comments/draft';
import { clientIp } from '@/app/_lib/http/client-ip';
import { formAction } from '@/app/_lib/http/form-action';
import { getUserSummary } from '@/db/queries/users';

/** The schema only bounds the fields; the service checks them (app/_lib/account/delete.ts). */
const fields = z.object({ password: z.string().optional(), comments: z.string().optional() });

/**
 * "Delete my account". On success this browser's session cookie is cleared too (every other
 * session already names a user that no longer exists) and the reader lands on a page that says
 * what was done.
 */
export const deleteAccountAction = formAction(
  fields,
  async (input, user) => {
    const token = await currentSessionToken();
    // A second request from a browser whose account is already gone: say so, not "sign in".
    if (!user && token && !getUserSummary(token.userId)) return accountGone();
    const result = await deleteAccount(user, input, {
      ip: clientIp(await headers()),
      authTime: token?.userId === user?.id ? (token?.authTime ?? null) : null,
      draftToken: (await cookies()).get(DRAFT_COOKIE)?.value ?? null,
    });
    if (!result.ok) return result;
    await signOut({ redirect: false });
    (await cookies()).delete(DRAFT_COOKIE);
    redirect(`/account-deleted?comments=${result.value.comments.kept > 0 ? 'kept' : 'removed'}`);
  },
  { echo: ['comments'] },
);
