import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeDb, getDb } from '../index';
import { createTemporaryDatabase } from '../test-db';
import { createEmailToken, hashEmailToken, peekEmailToken, redeemEmailToken, retireEmailTokens } from './email-tokens';

const temp = createTemporaryDatabase();
after(() => {
  closeDb();
  temp.cleanup();
});

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 5, 1);
const stored = () => getDb().$client.prepare('select token_hash from email_tokens').pluck().all() as string[];

describe('mailed links (email_tokens)', () => {
  it('hands out 32 random bytes as base64url and stores only their sha256', () => {
    const token = createEmailToken(getDb(), { purpose: 'reset', email: 'a@example.test', lifetimeMs: HOUR }, T0);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(token, 'base64url').length, 32);
    assert.ok(!stored().includes(token));
    assert.ok(stored().includes(hashEmailToken(token)));
  });

  it('shows what a link will do without using it up, however often it is opened', () => {
    const token = createEmailToken(getDb(), { purpose: 'signup', email: 'b@example.test', payload: { name: 'B' }, lifetimeMs: HOUR }, T0);
    for (let i = 0; i < 3; i += 1) {
      const seen = peekEmailToken(token, ['signup'], T0 + 1);
      assert.equal(seen.status, 'ok');
      assert.deepEqual(seen.status === 'ok' && seen.link.payload, { name: 'B' });
    }
    assert.equal(redeemEmailToken(getDb(), token, ['signup'], T0 + 2).status, 'ok');
  });

  it('redeems a link exactly once, then says it was used', () => {
    const token = createEmailToken(getDb(), { purpose: 'signin', email: 'c@example.test', userId: null, lifetimeMs: HOUR }, T0);
    const first = redeemEmailToken(getDb(), token, ['signin'], T0 + 1);
    assert.equal(first.status, 'ok');
    assert.equal(first.status === 'ok' && first.link.email, 'c@example.test');
    assert.deepEqual(redeemEmailToken(getDb(), token, ['signin'], T0 + 2), { status: 'used' });
    assert.deepEqual(peekEmailToken(token, ['signin'], T0 + 2), { status: 'used' });
  });

  it('tells unknown, used and expired links apart, and treats a link of another purpose as unknown', () => {
    const token = createEmailToken(getDb(), { purpose: 'reset', email: 'd@example.test', lifetimeMs: HOUR }, T0);
    assert.deepEqual(redeemEmailToken(getDb(), 'not-a-token', ['reset'], T0), { status: 'unknown' });
    assert.deepEqual(redeemEmailToken(getDb(), token, ['signin'], T0), { status: 'unknown' });
    assert.deepEqual(redeemEmailToken(getDb(), token, ['reset'], T0 + HOUR), { status: 'expired' });
    assert.deepEqual(peekEmailToken(token, ['reset'], T0 + HOUR - 1).status, 'ok');
  });

  it('puts a link back when the transaction that used it rolls back', () => {
    const token = createEmailToken(getDb(), { purpose: 'verify', email: 'e@example.test', lifetimeMs: HOUR }, T0);
    assert.throws(() =>
      getDb().transaction((tx) => {
        assert.equal(redeemEmailToken(tx, token, ['verify'], T0 + 1).status, 'ok');
        throw new Error('the account could not be changed');
      }),
    );
    assert.equal(peekEmailToken(token, ['verify'], T0 + 1).status, 'ok');
  });

  it('retires the older unused links of one kind for an address', () => {
    const older = createEmailToken(getDb(), { purpose: 'reset', email: 'f@example.test', lifetimeMs: HOUR }, T0);
    const other = createEmailToken(getDb(), { purpose: 'signin', email: 'f@example.test', lifetimeMs: HOUR }, T0);
    retireEmailTokens(getDb(), 'reset', 'f@example.test', T0 + 1);
    assert.deepEqual(peekEmailToken(older, ['reset'], T0 + 2), { status: 'used' });
    assert.equal(peekEmailToken(other, ['signin'], T0 + 2).status, 'ok');
  });
});
