import 'server-only';
import { accountTransaction } from '@/db/queries/email-tokens';
import { getAccountState, getPasswordCredentials, setPassword, type UserSummary } from '@/db/queries/users';
import { refuse, type Result } from '../http/errors';
import { sendEmailChangeLink, sendVerifyLink } from './email-links';
import { hashPassword, verifyPassword } from './password';
import { limitAccountMail, limitSignIn } from './sign-in-limits';
import { changePasswordSchema, emailSchema, fieldErrors } from './validation';

/*
 * The profile's account settings. Only a session is needed, not a clean record: a banned reader
 * may still secure their account.
 */

const signedOut = () => refuse('unauthorized:session');

/**
 * A new password. When the account has one, the current password is checked, counted like a
 * sign-in attempt so the form cannot be used to guess it. Raises the session version: every
 * other session ends, and the caller signs this browser in afresh.
 */
export async function changePassword(viewer: UserSummary | null, input: unknown, ip: string): Promise<Result<null>> {
  if (!viewer?.email) return signedOut();
  const parsed = changePasswordSchema.safeParse(input);
  if (!parsed.success) return refuse('invalid:form', fieldErrors(parsed.error), 'Check the highlighted fields.');
  const state = getAccountState(viewer.id);
  if (!state) return refuse('not_found:account');
  if (state.hasPassword) {
    const limit = await limitSignIn(ip, viewer.email);
    if (!limit.ok) return refuse('rate_limited:attempts', undefined, limit.message);
    const stored = getPasswordCredentials(viewer.email)?.passwordHash;
    if (!stored || !(await verifyPassword(parsed.data.currentPassword ?? '', stored))) {
      return refuse('invalid:form', { currentPassword: 'Your current password is incorrect.' }, 'Check the highlighted fields.');
    }
  }
  const hash = await hashPassword(parsed.data.password);
  accountTransaction((tx) => setPassword(tx, viewer.id, hash));
  return { ok: true, value: null };
}

/** A link to the new address; the old one stays until it is used, and is told then. */
export function requestEmailChange(viewer: UserSummary | null, input: unknown, ip: string, origin: string): Result<{ email: string }> {
  if (!viewer) return signedOut();
  const parsed = emailSchema.safeParse(input);
  if (!parsed.success) return refuse('invalid:form', fieldErrors(parsed.error), 'Check the highlighted field.');
  const { email } = parsed.data;
  if (email === viewer.email) return refuse('invalid:form', { email: 'That is already your address.' }, 'Check the highlighted field.');
  const limit = limitAccountMail(ip, email);
  if (!limit.ok) return refuse('rate_limited:attempts', undefined, limit.message);
  sendEmailChangeLink(viewer, email, origin);
  return { ok: true, value: { email } };
}

/** "Send a verification link" for an account whose address nobody has proved yet. */
export function requestVerification(viewer: UserSummary | null, ip: string, origin: string): Result<{ email: string; already: boolean }> {
  if (!viewer?.email) return signedOut();
  if (viewer.emailVerified) return { ok: true, value: { email: viewer.email, already: true } };
  const limit = limitAccountMail(ip, viewer.email);
  if (!limit.ok) return refuse('rate_limited:attempts', undefined, limit.message);
  sendVerifyLink({ id: viewer.id, name: viewer.name, email: viewer.email }, origin);
  return { ok: true, value: { email: viewer.email, already: false } };
}
