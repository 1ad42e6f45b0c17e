'use server';

import { revalidatePath } from 'next/cache';
import { formValues, type ActionState } from '@/app/_lib/http/action-state';
import { changeDisplayName } from '@/app/_lib/auth/profile';
import { getCurrentUser } from '@/app/_lib/auth/session';

/** Changes the signed-in reader's display name. The service checks the session, not only the page. */
export async function updateProfile(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const values = formValues(formData, ['name']);
  const result = await changeDisplayName(await getCurrentUser(), { name: formData.get('name') });
  if (!result.ok) {
    const status = result.code.startsWith('unauthorized') ? 'unauthorized' : result.code.startsWith('forbidden') ? 'forbidden' : 'invalid';
    return { status, message: result.message, fields: result.fields, values };
  }
  // Names appear in the header of every per-request page, and later beside comments.
  revalidatePath('/', 'layout');
  return { status: 'ok', message: `Saved. You now appear as “${result.value.name}”.`, values: { name: result.value.name } };
}
