import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { config } from '@/proxy';
import { SESSION_COOKIES, hasSessionCookie } from './session-cookie.mjs';

describe('whether a request carries a session cookie', () => {
  it('reads the Cookie header as Auth.js and Next do: blanks around a name do not hide it', () => {
    for (const header of [
      'authjs.session-token=x',
      'authjs.session-token =x',
      'theme=dark;authjs.session-token\t= x',
      'a=b; __Secure-authjs.session-token=x',
      '__Secure-authjs.session-token.0=x; __Secure-authjs.session-token.1=y',
    ]) {
      assert.equal(hasSessionCookie(header), true, header);
    }
    for (const header of [null, '', 'theme=dark', 'authjs.session-tokens=x', 'xauthjs.session-token=x', 'authjs.session-token.x=1', 'authjs.session-token']) {
      assert.equal(hasSessionCookie(header), false, String(header));
    }
  });

  it('the proxy runs for each session cookie and its first chunk', () => {
    const cookies = config.matcher.flatMap((m) => (typeof m === 'string' ? [] : m.has.filter((h) => h.type === 'cookie').map((h) => h.key)));
    assert.deepEqual(cookies.sort(), SESSION_COOKIES.flatMap((name) => [name, `${name}.0`]).sort());
  });
});
