import 'server-only';
import { headers } from 'next/headers';
import { signOut } from './config';
import { safeReturnPath } from './validation';

/**
 * Ends the session and says where to go next: back to the same-site page the reader was on
 * (the form's Referer; Referrer-Policy sends it for same-origin posts), or the home page. The
 * header's sign-out is a plain form (app/_lib/content/reader-html.ts), so it posts here.
 */
export async function signOutAndReturn(): Promise<string> {
  await signOut({ redirect: false });
  const h = await headers();
  const referer = h.get('referer');
  if (!referer) return '/';
  try {
    const from = new URL(referer);
    return from.host === (h.get('x-forwarded-host') ?? h.get('host')) ? safeReturnPath(`${from.pathname}${from.search}`) : '/';
  } catch {
    return '/';
  }
}
