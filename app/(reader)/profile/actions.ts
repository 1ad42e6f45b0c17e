'use server';

import { changeDisplayName } from '@/app/_lib/auth/profile';
import { formAction } from '@/app/_lib/http/form-action';
import { profileSchema } from '@/app/_lib/auth/validation';
import { articleCache } from '@/app/_lib/comments/article-cache';

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
