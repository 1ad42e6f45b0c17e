import 'server-only';
import { signIn } from './config';
import { renewalToken } from './email-links';

/**
 * Signs this browser in again after its account's session version was raised (a reset or a
 * password change), so it stays signed in while every other session ends. Throws Next's
 * redirect to `redirectTo`, as Auth.js's signIn does on success.
 */
export async function signInAfresh(user: { id: string; email: string | null }, redirectTo: string): Promise<never> {
  await signIn('email-link', { token: renewalToken(user.id, user.email ?? ''), redirectTo });
  throw new Error('signIn returned without redirecting');
}
