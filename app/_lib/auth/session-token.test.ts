import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode } from 'next-auth/jwt';
import { decodeSessionCookie, readSessionCookie } from './session-token';

const SECRET = 'a-test-secret-that-is-long-enough-for-auth-js-0123456789';
const NAME = 'authjs.session-token';
const jar = (cookies: Record<string, string>) => ({ getAll: () => Object.entries(cookies).map(([name, value]) => ({ name, value })) });

describe('reading the session cookie', () => {
  it('finds the cookie, prefers the secure one, and joins chunks in order', () => {
    assert.equal(readSessionCookie(jar({ other: 'x' })), null);
    assert.deepEqual(readSessionCookie(jar({ [NAME]: 'abc' })), { name: NAME, value: 'abc' });
    assert.deepEqual(readSessionCookie(jar({ [NAME]: 'plain', [`__Secure-${NAME}`]: 'secure' })), { name: `__Secure-${NAME}`, value: 'secure' });
    assert.deepEqual(readSessionCookie(jar({ [`${NAME}.1`]: 'def', [`${NAME}.0`]: 'abc', [`${NAME}.x`]: 'junk' })), { name: NAME, value: 'abcdef' });
  });

  it('decodes a token the server issued, with its user and times', async () => {
    const value = await encode({ token: { sub: 'user-1' }, secret: SECRET, salt: NAME, maxAge: 3600 });
    const token = await decodeSessionCookie({ name: NAME, value }, SECRET);
    assert.equal(token?.userId, 'user-1');
    assert.ok(token && token.expiresAt - token.issuedAt === 3600);
    // The same text again: the same answer (from memory), still checked against the clock.
    assert.deepEqual(await decodeSessionCookie({ name: NAME, value }, SECRET), token);
    assert.equal(await decodeSessionCookie({ name: NAME, value }, SECRET, (token!.expiresAt + 1) * 1000), null);
  });

  it('refuses forged, foreign, tampered and expired tokens', async () => {
    const other = await encode({ token: { sub: 'user-1' }, secret: 'another-secret-entirely-0123456789-abcdefghij', salt: NAME, maxAge: 3600 });
    assert.equal(await decodeSessionCookie({ name: NAME, value: other }, SECRET), null);
    const good = await encode({ token: { sub: 'user-2' }, secret: SECRET, salt: NAME, maxAge: 3600 });
    // Issued under one cookie name, presented under another: the salt differs, so it fails.
    assert.equal(await decodeSessionCookie({ name: `__Secure-${NAME}`, value: good }, SECRET), null);
    const tampered = good.slice(0, -4) + (good.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    assert.equal(await decodeSessionCookie({ name: NAME, value: tampered }, SECRET), null);
    assert.equal(await decodeSessionCookie({ name: NAME, value: 'not-a-token' }, SECRET), null);
    const expired = await encode({ token: { sub: 'user-3' }, secret: SECRET, salt: NAME, maxAge: -60 });
    assert.equal(await decodeSessionCookie({ name: NAME, value: expired }, SECRET), null);
  });
});
