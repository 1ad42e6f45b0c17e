import 'server-only';
import { z } from 'zod';
import { eraseAccount, otherAdmins, type Erasure } from '@/db/queries/account-data';
import { getAccountState, getPasswordCredentials, type UserSummary } from '@/db/queries/users';
import { settings } from '../config.mjs';
import { articleCache } from '../comments/article-cache';
import { refuse, type Refusal, type Result } from '../http/errors';
import { check } from '../permissions';
import { verifyPassword } from '../auth/password';
import { limitSignIn } from '../auth/sign-in-limits';

/*
 * "Delete my account". The reader proves it is them: their password, or for an account without
 * one (a provider's, or mailed links'), a sign-in within the last FRESH_SIGN_IN_MINUTES. Then
 * db/queries/account-data.ts eraseAccount does it all in one transaction.
 */

/** How recent the last sign-in of an account without a password must be. */
export const FRESH_SIGN_IN_MINUTES = 10;

export const deleteAccountSchema = z.object({
  password: z.string().max(1024).optional(),
  comments: z.enum(['remove', 'keep'], { error: 'Choose what happens to your comments.' }),
});

/** Who else acts as an admin: the last one may not leave. */
export function deleteAccountTarget(viewer: Pick<UserSummary, 'id'>) {
  return { account: { otherAdmins: otherAdmins(viewer.id, settings().ADMIN_EMAILS) } };
}

/** Whether a sign-in at `authTime` (seconds) is recent enough to delete an account. */
export function signedInRecently(authTime: number | null, now = Date.now()): boolean {
  return authTime !== null && now / 1000 - authTime <= FRESH_SIGN_IN_MINUTES * 60 && authTime <= now / 1000 + 60;
}

/** The refusal for a request whose session cookie names an account that is gone. */
export const accountGone = (): Refusal => refuse('not_found:account', undefined, 'This account no longer exists: it has already been deleted.');

export type DeleteContext = {
  ip: string;
  /** When this session's reader last signed in (the token's claim), seconds. */
  authTime: number | null;
  /** The draft this browser keeps, if any (drafts are kept by cookie, not by account). */
  draftToken: string | null;
};

export async function deleteAccount(viewer: UserSummary | null, input: unknown, context: DeleteContext): Promise<Result<Erasure>> {
  if (!viewer) return refuse('unauthorized:session');
  const refused = check(viewer, 'deleteAccount', deleteAccountTarget(viewer));
  if (refused) return refused;
  const parsed = deleteAccountSchema.safeParse(input);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? 'comments'), issue.path[0] === 'password' ? 'Enter your password.' : 'Choose what happens to your comments.']));
    return refuse('invalid:form', fields, 'Check the highlighted fields.');
  }
  const state = getAccountState(viewer.id);
  if (!state) return accountGone();
  if (state.hasPassword) {
    const password = parsed.data.password ?? '';
    if (!password) return refuse('invalid:form', { password: 'Enter your password.' }, 'Check the highlighted fields.');
    // Counted like a sign-in, so this form cannot be used to guess the password.
    const limit = await limitSignIn(context.ip, viewer.email ?? viewer.id);
    if (!limit.ok) return refuse('rate_limited:attempts', undefined, limit.message);
    const stored = viewer.email ? getPasswordCredentials(viewer.email)?.passwordHash : null;
    if (!stored || !(await verifyPassword(password, stored))) {
      return refuse('invalid:form', { password: 'Your password is incorrect.' }, 'Check the highlighted fields.');
    }
  } else if (!signedInRecently(context.authTime)) {
    return refuse('unauthorized:sign_in_again');
  }
  const erased = eraseAccount(viewer.id, parsed.data.comments, context.draftToken);
  if (!erased) return accountGone();
  // Names, comments, scores and poll totals on every article page may have changed.
  articleCache.revalidateAll(null);
  return { ok: true, value: erased };
}
