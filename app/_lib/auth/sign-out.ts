import 'server-only';
import { headers } from 'next/headers';
import { signOut } from './config';
import { getCurrentSession } from './session';
import { endAllSessions } from './sessions';
import { safeReturnPath } from './validation';

/**
 * Ends the session and says where to go next: back to the same-site page the reader was on
 * (the form's Referer; Referrer-Policy sends it for same-origin posts), or the home page. The
 * header's sign-out is a plain form (app/_lib/content/reader-html.ts), so it posts here.
 * Auth.js's signOut event deletes the session's row (./config.ts), so a copy of the cookie is
 * refused from then on. `everywhere` (the profile's "Sign out everywhere") ends every session
 * of the reader first, and lands on the sign-in page, which says so.
 */
export async function signOutAndReturn(everywhere = false): Promise<string> {
  const ended = everywhere ? endAllSessions((await getCurrentSession())?.user ?? null).ok : false;
  await signOut({ redirect: false });
  if (ended) return '/signin?signedOut=everywhere';
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
