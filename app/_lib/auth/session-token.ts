import 'server-only';
import { decode, getToken } from 'next-auth/jwt';

/*
 * Reads the Auth.js session cookie without running Auth.js's whole session endpoint. Auth.js's
 * `auth()` decrypts the token, then encrypts a new one and sets it again, on every call: about
 * 3.5 ms of a signed-in write's 7 ms here. A reader's token only needs renewing now and then, so
 * the common case decrypts it (or finds it decrypted already) and only an old token goes through
 * `auth()`, which renews the cookie as before (app/_lib/auth/session.ts). Finding the cookie
 * (and joining its chunks) and decrypting it are Auth.js's own `getToken` and `decode`.
 */
const COOKIE = 'authjs.session-token';
const SECURE_COOKIE = `__Secure-${COOKIE}`;

/** Auth.js's own default for how often a session is renewed. */
export const RENEW_AFTER_SECONDS = 24 * 60 * 60;

/** The user's session version the token was issued under (users.sessionVersion). */
export const SESSION_VERSION_CLAIM = 'sv';

/** The session's id (user_sessions.id): the session is signed out when its row is gone. */
export const SESSION_ID_CLAIM = 'sid';

/**
 * When the reader last proved who they are (seconds): set at sign-in and kept through renewals,
 * which reissue the token (and its `iat`) without a sign-in. Deleting an account asks for a recent one.
 */
export const AUTH_TIME_CLAIM = 'at';

export type SessionToken = { userId: string; sessionVersion: number; sessionId: string | null; issuedAt: number; expiresAt: number; authTime: number | null };

/** A token from before the claim has no sign-in time: it never counts as recent. */
export function authTimeOf(claims: object): number | null {
  const at: unknown = (claims as Record<string, unknown>)[AUTH_TIME_CLAIM];
  return typeof at === 'number' && Number.isFinite(at) ? at : null;
}

/** A token from before session versions counts as version 0, the column's default. */
export function sessionVersionOf(claims: object): number {
  const version: unknown = (claims as Record<string, unknown>)[SESSION_VERSION_CLAIM];
  return typeof version === 'number' && Number.isSafeInteger(version) ? version : 0;
}

/**
 * The session id a token carries; null for a token from before sessions had rows, which
 * counts as signed out (there is no row to show in the profile, nor to end).
 */
export function sessionIdOf(claims: object): string | null {
  const id: unknown = (claims as Record<string, unknown>)[SESSION_ID_CLAIM];
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : null;
}

type CookieJar = { getAll(): { name: string; value: string }[] };

/**
 * The session cookie's name and encrypted value, as Auth.js finds it (chunks name.0, name.1, …
 * joined), the __Secure- one first. Only the cookies go in: a Bearer header is not a session here.
 */
export async function readSessionCookie(jar: CookieJar): Promise<{ name: string; value: string } | null> {
  const cookie = jar
    .getAll()
    .map(({ name, value }) => `${name}=${encodeURIComponent(value)}`)
    .join('; ');
  for (const secureCookie of [true, false]) {
    const value = await getToken({ req: { headers: { cookie } }, secureCookie, raw: true });
    if (value) return { name: secureCookie ? SECURE_COOKIE : COOKIE, value };
  }
  return null;
}

/*
 * Decrypted tokens, by their exact text. The same text always decrypts to the same claims, so a
 * hit is as good as decrypting again; expiry is still checked on every use. Bounded in entries
 * and in bytes (a cookie can be kilobytes), the oldest entry going first. Only tokens that
 * decrypted are kept: anyone can send a new forged one, so remembering failures buys nothing.
 */
export const CACHE_LIMITS = { entries: 10_000, bytes: 16 * 1024 * 1024 };
const remembered = new Map<string, SessionToken>();
let rememberedBytes = 0;

/** Rough memory for an entry: two bytes per character of the key and the user id, plus overhead. */
const entryBytes = (key: string, token: SessionToken) => 2 * (key.length + token.userId.length + (token.sessionId?.length ?? 0)) + 96;

function remember(key: string, token: SessionToken): void {
  const size = entryBytes(key, token);
  if (size > CACHE_LIMITS.bytes) return;
  while (remembered.size > 0 && (remembered.size >= CACHE_LIMITS.entries || rememberedBytes + size > CACHE_LIMITS.bytes)) {
    const [oldKey, oldToken] = remembered.entries().next().value!;
    remembered.delete(oldKey);
    rememberedBytes -= entryBytes(oldKey, oldToken);
  }
  remembered.set(key, token);
  rememberedBytes += size;
}

/** What the cache holds now, for tests. */
export function cacheSize(): { entries: number; bytes: number } {
  return { entries: remembered.size, bytes: rememberedBytes };
}

/** The claims of a session cookie, or null for a forged, malformed, foreign or expired one. */
export async function decodeSessionCookie(cookie: { name: string; value: string }, secret: string, now = Date.now()): Promise<SessionToken | null> {
  const key = `${cookie.name}=${cookie.value}`;
  let token = remembered.get(key) ?? null;
  if (!token) {
    try {
      const claims = await decode({ token: cookie.value, secret, salt: cookie.name });
      if (claims && typeof claims.sub === 'string' && typeof claims.exp === 'number' && typeof claims.iat === 'number') {
        token = { userId: claims.sub, sessionVersion: sessionVersionOf(claims), sessionId: sessionIdOf(claims), issuedAt: claims.iat, expiresAt: claims.exp, authTime: authTimeOf(claims) };
        remember(key, token);
      }
    } catch {
      // not ours, tampered with, or expired (decode checks exp)
    }
  }
  return token && token.expiresAt * 1000 > now ? token : null;
}
