import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeDb, getDb } from '@/db/index';
import { createTemporaryDatabase } from '@/db/test-db';
import { ConfigError } from './config.mjs';
import { rateLimits } from './limit-settings';

const temp = createTemporaryDatabase();
after(() => {
  closeDb();
  temp.cleanup();
  delete process.env.AUTH_SIGNIN_LIMIT_PER_IP;
});

/** Asserts that `run` throws a ConfigError whose only line is `line`. */
function refused(run: () => unknown, line: string) {
  assert.throws(run, (error: unknown) => error instanceof ConfigError && error.problems.length === 1 && error.problems[0] === line, line);
}

describe('limit settings', () => {
  it('reads whole numbers, and unset or blank as the default', () => {
    assert.equal(rateLimits({ VOTE_LIMIT_PER_MINUTE: '12' }).votes.limit, 12);
    assert.equal(rateLimits({ COMMENT_MIN_INTERVAL_SECONDS: ' 0 ' }).comments.minIntervalMs, 0);
    assert.equal(rateLimits({}).votes.limit, 60);
    assert.equal(rateLimits({ VOTE_LIMIT_PER_MINUTE: ' ' }).votes.limit, 60);
    assert.equal(rateLimits({ COMMENT_RATE_LIMIT_DISABLED: '1' }).readerLimitsOff, true);
    assert.equal(rateLimits({}).readerLimitsOff, false);
  });

  it('refuses a limit that is not a whole number, naming it, the value and what is accepted', () => {
    for (const bad of ['abc', '-1', '1.5', '1e3', 'Infinity', '0x10']) {
      refused(() => rateLimits({ COMMENT_HOURLY_LIMIT: bad }), `COMMENT_HOURLY_LIMIT=${JSON.stringify(bad)} is not accepted: it must be a whole number from 1 to 1,000,000,000.`);
    }
  });

  it('refuses a limit of attempts of zero, which would refuse everyone', () => {
    refused(() => rateLimits({ AUTH_SIGNUP_LIMIT_PER_IP: '0' }), 'AUTH_SIGNUP_LIMIT_PER_IP="0" is not accepted: it must be a whole number from 1 to 1,000,000,000.');
  });

  it('refuses AUTH_SIGNIN_LIMIT_PER_IP=abc, where it used to fall back to the default', () => {
    const line = 'AUTH_SIGNIN_LIMIT_PER_IP="abc" is not accepted: it must be a whole number from 1 to 1,000,000,000.';
    refused(() => rateLimits({ AUTH_SIGNIN_LIMIT_PER_IP: 'abc' }), line);
    process.env.AUTH_SIGNIN_LIMIT_PER_IP = 'abc';
    try {
      refused(() => rateLimits(), line);
    } finally {
      delete process.env.AUTH_SIGNIN_LIMIT_PER_IP;
    }
  });

  it('keeps the per-address sign-in limit at its default when AUTH_SIGNIN_LIMIT_PER_IP is unset', async () => {
    getDb();
    const { limitSignIn } = await import('./auth/sign-in-limits');
    const results = [];
    for (let i = 0; i < 31; i += 1) results.push(await limitSignIn('192.0.2.50', `reader${i}@example.com`));
    assert.equal(results.filter((r) => r.ok).length, 30);
    const last = results[30]!;
    assert.match(last.ok ? '' : last.message, /^Too many attempts\. Try again in 15 minutes\.$/);
  });
});
