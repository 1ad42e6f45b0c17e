import 'server-only';
import { updateDisplayName, type UserSummary } from '@/db/queries/users';
import { refuse, type Result } from '../http/errors';
import { throttle } from '../moderation/flood-control';
import { check } from '../permissions';
import { fieldErrors, profileSchema } from './validation';

/** Renames the reader. A banned reader may only read: a new name would be a way round the ban. */
export async function changeDisplayName(viewer: UserSummary | null, input: unknown): Promise<Result<UserSummary>> {
  const refused = check(viewer, 'editProfile');
  if (refused || !viewer) return refused!;
  const throttled = throttle(viewer, 'renames');
  if (throttled) return throttled;
  const parsed = profileSchema.safeParse(input);
  if (!parsed.success) return refuse('invalid:form', fieldErrors(parsed.error), 'Check the highlighted field.');
  const updated = updateDisplayName(viewer.id, parsed.data.name);
  return updated ? { ok: true, value: updated } : refuse('not_found:account');
}
