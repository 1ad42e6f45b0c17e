import assert from 'node:assert/strict';
import { after, describe, it, mock } from 'node:test';
import { closeDb, getDb } from '@/db/index';
import { createTemporaryDatabase } from '@/db/test-db';
import { envInteger, rateLimits } from './limits';

// A setting the operator mistyped, set before the sign-in limits are read at start.
process.env.AUTH_SIGNIN_LIMIT_PER_IP = 'abc';
const temp = createTemporaryDatabase();
after(() => {
  closeDb();
  temp.cleanup();
  delete process.env.AUTH_SIGNIN_LIMIT_PER_IP;
});

describe('limit settings', () => {
  it('reads whole numbers, and unset or empty as the default', () => {
    assert.equal(envInteger({ X: '12' }, 'X', 5), 12);
    assert.equal(envInteger({ X: ' 0 ' }, 'X', 5), 0);
    assert.equal(envInteger({}, 'X', 5), 5);
    assert.equal(envInteger({ X: '' }, 'X', 5), 5);
  });

  it('falls back to the default with a warning, once, for a setting that is not a whole number', () => {
    const warn = mock.method(console, 'warn', () => {});
    try {
      for (const bad of ['abc', '-1', '1.5', '1e3', 'Infinity', '0x10']) {
        assert.equal(envInteger({ BAD_SETTING: bad }, 'BAD_SETTING', 7), 7, bad);
      }
      assert.equal(envInteger({ BAD_SETTING: 'abc' }, 'BAD_SETTING', 7), 7);
      assert.equal(warn.mock.callCount(), 6);
      assert.match(String(warn.mock.calls[0]?.arguments[0]), /^BAD_SETTING="abc" is not a whole number of at least 0; using the default, 7\.$/);
    } finally {
      warn.mock.restore();
    }
  });

  it('never lets a limit of attempts be zero, which would refuse everyone', () => {
    mock.method(console, 'warn', () => {});
    assert.equal(rateLimits({ AUTH_SIGNUP_LIMIT_PER_IP: '0' }).signUpPerIp.limit, 10);
    mock.restoreAll();
  });

  it('keeps the per-address sign-in limit on when AUTH_SIGNIN_LIMIT_PER_IP is not a number', async () => {
    mock.method(console, 'warn', () => {});
    getDb();
    const { limitSignIn } = await import('./auth/sign-in-limits');
    const results = [];
    for (let i = 0; i < 31; i += 1) results.push(await limitSignIn('192.0.2.50', `reader${i}@example.com`));
    mock.restoreAll();
    assert.equal(results.filter((r) => r.ok).length, 30);
    const last = results[30]!;
    assert.match(last.ok ? '' : last.message, /^Too many attempts\. Try again in 15 minutes\.$/);
  });
});
