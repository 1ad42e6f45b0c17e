import crypto from 'node:crypto';
import { ensureAuthSecret } from '../auth/secret';

/*
 * The unsubscribe link's token: who and what (a reader and a scope), signed with HMAC-SHA256
 * under a key derived from the auth secret. It needs no sign-in and no stored row, and a changed
 * reader or scope no longer matches its signature, so one reader's link cannot stop another's mail.
 */

/** What a reader can stop: one thread's replies, one discussion, or the moderators' digest. */
export type UnsubscribeScope = `thread:${number}` | `article:${number}` | 'digest';

const SCOPE = /^(?:thread:[1-9]\d{0,15}|article:[1-9]\d{0,15}|digest)$/;

/**
 * Its own key, so a token signed here can never stand for a session or any other signed value.
 * Derived once per secret: every notification signs one.
 */
let derived: { secret: string; key: Buffer } | null = null;
function key(secret: string): Buffer {
  if (derived?.secret !== secret) derived = { secret, key: Buffer.from(crypto.hkdfSync('sha256', secret, 'blog', 'unsubscribe-link-v1', 32)) };
  return derived.key;
}

function sign(payload: string, secret: string): string {
  return crypto.createHmac('sha256', key(secret)).update(payload).digest('base64url');
}

export function unsubscribeToken(userId: string, scope: UnsubscribeScope, secret: string = ensureAuthSecret()): string {
  const payload = Buffer.from(JSON.stringify([userId, scope])).toString('base64url');
  return `${payload}.${sign(payload, secret)}`;
}

/** The reader and scope a token names, or null for anything not signed here (forged, altered, cut). */
export function readUnsubscribeToken(token: unknown, secret: string = ensureAuthSecret()): { userId: string; scope: UnsubscribeScope } | null {
  if (typeof token !== 'string' || token.length > 600) return null;
  const [payload, mac, extra] = token.split('.');
  if (!payload || !mac || extra !== undefined) return null;
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [userId, scope] = value as unknown[];
    if (typeof userId !== 'string' || typeof scope !== 'string' || !SCOPE.test(scope)) return null;
    return { userId, scope: scope as UnsubscribeScope };
  } catch {
    return null;
  }
}
