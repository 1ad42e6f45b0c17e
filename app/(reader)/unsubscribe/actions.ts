'use server';

import { z } from 'zod';
import { formAction } from '@/app/_lib/http/form-action';
import { unsubscribeByLink } from '@/app/_lib/notify/unsubscribe';

const unsubscribeSchema = z.object({ token: z.string().max(600), what: z.enum(['scope', 'all']) });

/** The choice on /unsubscribe; the token, not a session, says whose mail stops. */
export const unsubscribeAction = formAction(
  unsubscribeSchema,
  async ({ token, what }) => {
    const result = unsubscribeByLink(token, what);
    if (!result.ok) return result;
    return { status: 'ok', message: result.value.message };
  },
  { invalid: 'Choose what to unsubscribe from.' },
);
