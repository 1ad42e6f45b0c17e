'use server';

import { revalidatePath } from 'next/cache';
import { updateDisplayName } from '@/db/queries/users';
import { formValues, type ActionState } from '@/app/_lib/http/action-state';
import { getCurrentUser } from '@/app/_lib/auth/session';
import { fieldErrors, profileSchema } from '@/app/_lib/auth/validation';

/** Changes the signed-in reader's display name. The session is checked here, not only in the page. */
export async function updateProfile(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const values = formValues(formData, ['name']);
  const user = await getCurrentUser();
  if (!user) return { status: 'unauthorized', message: 'Your session has ended. Sign in again to change your name.', values };

  const parsed = profileSchema.safeParse({ name: formData.get('name') });
  if (!parsed.success) {
    return { status: 'invalid', message: 'Check the highlighted field.', fields: fieldErrors(parsed.error), values };
  }
  const updated = updateDisplayName(user.id, parsed.data.name);
  if (!updated) return { status: 'unauthorized', message: 'Your account no longer exists.', values };
  // Names appear in the header of every per-request page, and later beside comments.
  revalidatePath('/', 'layout');
  return { status: 'ok', message: `Saved. You now appear as “${updated.name}”.`, values: { name: updated.name } };
}
