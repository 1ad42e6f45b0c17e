import 'server-only';
import { getPasswordCredentials } from '@/db/queries/users';
import { metrics } from '../ops/metrics';
import { limitSignIn, signInSucceeded } from './sign-in-limits';
import { verifyAgainstDummy, verifyPassword } from './password';
import { signInSchema } from './validation';

export type CredentialsResult =
  | { status: 'ok'; user: { id: string; name: string; email: string } }
  | { status: 'invalid' }
  | { status: 'rate_limited'; message: string; retryAfterMs: number };

/**
 * The one check behind every email-and-password sign-in, whichever door it comes through
 * (the sign-in form, sign-up's automatic sign-in, or a direct POST to Auth.js's callback).
 * A wrong password and an unknown email give the same answer after the same amount of work.
 */
export async function checkCredentials(input: unknown, ip: string): Promise<CredentialsResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return { status: 'invalid' };
  const { email, password } = parsed.data;

  const limit = await limitSignIn(ip, email);
  const signIns = metrics().signIns;
  if (!limit.ok) {
    signIns.inc({ method: 'password', result: 'refused' });
    return { status: 'rate_limited', message: limit.message, retryAfterMs: limit.retryAfterMs };
  }

  const account = getPasswordCredentials(email);
  const valid = account?.passwordHash
    ? await verifyPassword(password, account.passwordHash)
    : await verifyAgainstDummy(password);
  if (!account || !valid) {
    signIns.inc({ method: 'password', result: 'failure' });
    return { status: 'invalid' };
  }

  signInSucceeded(ip, email);
  signIns.inc({ method: 'password', result: 'success' });
  return { status: 'ok', user: { id: account.id, name: account.name, email } };
}
