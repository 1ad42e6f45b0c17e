'use server';

import { updateDisplayName } from '@/db/queries/users';
import { refuse } from '@/app/_lib/http/errors';
import { formAction } from '@/app/_lib/http/form-action';
import { profileSchema } from '@/app/_lib/auth/validation';
import { articleCache } from '@/app/_lib/comments/article-cache';
import { throttle } from '@/app/_lib/moderation/flood-control';

/** Changes the signed-in reader's display name. The session is checked here, not only in the page. */
export const updateProfile = formAction(
  profileSchema,
  async ({ name }, user) => {
    if (!user) return refuse('unauthorized:session', undefined, 'Your session has ended. Sign in again to change your name.');
    const throttled = throttle(user, 'renames');
    if (throttled) return throttled;
    const updated = updateDisplayName(user.id, name);
    if (!updated) return refuse('not_found:account');
    // Names appear in the header of every per-request page, and beside comments on cached ones.
    articleCache.revalidateSite();
    return { status: 'ok', message: `Saved. You now appear as “${updated.name}”.`, values: { name: updated.name } };
  },
  { echo: ['name'], invalid: 'Check the highlighted field.' },
);
