import 'server-only';
import { headers } from 'next/headers';
import { safeReturnPath } from './validation';

/**
 * Where to send a reader after signing in: the callbackUrl in the address, else the same-site
 * page they came from, else the home page. Never another site.
 */
export async function returnPathFor(callbackUrl: string | string[] | undefined): Promise<string> {
  if (typeof callbackUrl === 'string') return safeReturnPath(callbackUrl);
  const referer = (await headers()).get('referer');
  if (!referer) return '/';
  try {
    const from = new URL(referer);
    const host = (await headers()).get('host');
    if (from.host !== host || ['/signin', '/signup'].includes(from.pathname)) return '/';
    return safeReturnPath(`${from.pathname}${from.search}`);
  } catch {
    return '/';
  }
}
