import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode } from 'next-auth/jwt';
import { CACHE_LIMITS, cacheSize, decodeSessionCookie, readSessionCookie } from './session-token';

const SECRET = 'a-test-secret-that-is-long-enough-for-auth-js-0123456789';
const NAME = 'authjs.session-token';
const jar = (cookies: Record<string, string>) => ({ getAll: () => Object.entries(cookies).map(([name, value]) => ({ name, value })) });

describe('reading the session cookie', () => {
  it('finds the cookie, prefers the secure one, and joins chunks in order', async () => {
    assert.equal(await readSessionCookie(jar({ other: 'x' })), null);
    assert.deepEqual(await readSessionCookie(jar({ [NAME]: 'abc' })), { name: NAME, value: 'abc' });
    assert.deepEqual(await readSessionCookie(jar({ [NAME]: 'plain', [`__Secure-${NAME}`]: 'secure' })), { name: `__Secure-${NAME}`, value: 'secure' });
    assert.deepEqual(await readSessionCookie(jar({ [`${NAME}.1`]: 'def', [`${NAME}.0`]: 'abc' })), { name: NAME, value: 'abcdef' });
  });

  it('reads a chunked token as Auth.js does: whole, it decodes; with a stray chunk, it does not', async () => {
    const value = await encode({ token: { sub: 'user-9' }, secret: SECRET, salt: NAME, maxAge: 3600 });
    const half = Math.floor(value.length / 2);
    const chunks = { [`${NAME}.1`]: value.slice(half), [`${NAME}.0`]: value.slice(0, half) };
    const whole = await readSessionCookie(jar(chunks));
    assert.equal((await decodeSessionCookie(whole!, SECRET))?.userId, 'user-9');
    const stray = await readSessionCookie(jar({ ...chunks, [`${NAME}.x`]: 'junk' }));
    assert.equal(await decodeSessionCookie(stray!, SECRET), null);
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

  it('reads the session version a token was issued under, and 0 for a token from before versions', async () => {
    const versioned = await encode({ token: { sub: 'user-2', sv: 3 }, secret: SECRET, salt: NAME, maxAge: 3600 });
    assert.equal((await decodeSessionCookie({ name: NAME, value: versioned }, SECRET))?.sessionVersion, 3);
    const older = await encode({ token: { sub: 'user-2' }, secret: SECRET, salt: NAME, maxAge: 3600 });
    assert.equal((await decodeSessionCookie({ name: NAME, value: older }, SECRET))?.sessionVersion, 0);
    const odd = await encode({ token: { sub: 'user-2', sv: '3' }, secret: SECRET, salt: NAME, maxAge: 3600 });
    assert.equal((await decodeSessionCookie({ name: NAME, value: odd }, SECRET))?.sessionVersion, 0);
  });

  it('reads the session id a token names, and none for a token from before sessions had rows or an odd one', async () => {
    const named = await encode({ token: { sub: 'user-4', sid: 'abc_DEF-123' }, secret: SECRET, salt: NAME, maxAge: 3600 });
    assert.equal((await decodeSessionCookie({ name: NAME, value: named }, SECRET))?.sessionId, 'abc_DEF-123');
    for (const sid of [undefined, '', 42, 'x'.repeat(65)]) {
      const value = await encode({ token: { sub: 'user-4', sid }, secret: SECRET, salt: NAME, maxAge: 3600 });
      assert.equal((await decodeSessionCookie({ name: NAME, value }, SECRET))?.sessionId, null, String(sid));
    }
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

  it('keeps the token cache within its byte bound, and does not remember forged cookies', async () => {
    const shipped = { ...CACHE_LIMITS };
    CACHE_LIMITS.bytes = 64 * 1024;
    try {
      // Large valid tokens (the server never issues these, but the bound must hold anyway).
      for (let i = 0; i < 40; i += 1) {
        const value = await encode({ token: { sub: `big-${i}`, pad: 'x'.repeat(6000) }, secret: SECRET, salt: NAME, maxAge: 3600 });
        assert.equal((await decodeSessionCookie({ name: NAME, value }, SECRET))?.userId, `big-${i}`);
        assert.ok(cacheSize().bytes <= CACHE_LIMITS.bytes, `${cacheSize().bytes} bytes after ${i + 1} tokens`);
      }
      assert.ok(cacheSize().entries >= 2, 'the cache still remembers recent tokens');
      const before = cacheSize();
      // 3,000 forged 12 KB cookies: each is refused, and none is kept.
      const forged = 'A'.repeat(12 * 1024);
      for (let i = 0; i < 3000; i += 1) {
        assert.equal(await decodeSessionCookie({ name: NAME, value: `${i}.${forged}` }, SECRET), null);
      }
      assert.deepEqual(cacheSize(), before);
    } finally {
      Object.assign(CACHE_LIMITS, shipped);
    }
  });
});
