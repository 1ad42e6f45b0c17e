import 'server-only';
import { decode } from 'next-auth/jwt';

/*
 * Reads the Auth.js session cookie without running Auth.js's whole session endpoint. Auth.js's
 * `auth()` decrypts the token, then encrypts a new one and sets it again, on every call: about
 * 3.5 ms of a signed-in write's 7 ms here. A reader's token only needs renewing now and then, so
 * the common case decrypts it (or finds it decrypted already) and only an old token goes through
 * `auth()`, which renews the cookie as before (app/_lib/auth/session.ts).
 */
const COOKIE = 'authjs.session-token';
const SECURE_COOKIE = `__Secure-${COOKIE}`;

/** Auth.js's own default for how often a session is renewed. */
export const RENEW_AFTER_SECONDS = 24 * 60 * 60;

export type SessionToken = { userId: string; issuedAt: number; expiresAt: number };

type CookieJar = { getAll(): { name: string; value: string }[] };

/** The session cookie's name and value, joined from Auth.js's chunks (name.0, name.1, …) when split. */
export function readSessionCookie(jar: CookieJar): { name: string; value: string } | null {
  const all = jar.getAll();
  for (const name of [SECURE_COOKIE, COOKIE]) {
    const whole = all.find((cookie) => cookie.name === name);
    if (whole) return { name, value: whole.value };
    const chunks = all
      .map((cookie) => ({ index: cookie.name.startsWith(`${name}.`) ? Number(cookie.name.slice(name.length + 1)) : NaN, value: cookie.value }))
      .filter((chunk) => Number.isInteger(chunk.index) && chunk.index >= 0)
      .sort((a, b) => a.index - b.index);
    if (chunks.length) return { name, value: chunks.map((chunk) => chunk.value).join('') };
  }
  return null;
}

/*
 * Decrypted tokens, by their exact text. The same text always decrypts to the same claims, so a
 * hit is as good as decrypting again; expiry is still checked on every use. Bounded: the oldest
 * entry goes first.
 */
const MAX_REMEMBERED = 10_000;
const remembered = new Map<string, SessionToken | null>();

function remember(key: string, token: SessionToken | null): void {
  if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
  remembered.set(key, token);
}

/** The claims of a session cookie, or null for a forged, malformed, foreign or expired one. */
export async function decodeSessionCookie(cookie: { name: string; value: string }, secret: string, now = Date.now()): Promise<SessionToken | null> {
  const key = `${cookie.name}=${cookie.value}`;
  let token = remembered.get(key);
  if (token === undefined) {
    try {
      const claims = await decode({ token: cookie.value, secret, salt: cookie.name });
      token =
        claims && typeof claims.sub === 'string' && typeof claims.exp === 'number' && typeof claims.iat === 'number'
          ? { userId: claims.sub, issuedAt: claims.iat, expiresAt: claims.exp }
          : null;
    } catch {
      token = null; // not ours, tampered with, or expired (decode checks exp)
    }
    remember(key, token);
  }
  return token && token.expiresAt * 1000 > now ? token : null;
}
