import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeDb, getDb } from '@/db/index';
import { createPasswordUser } from '@/db/queries/users';
import { createTemporaryDatabase } from '@/db/test-db';
import { AUTH_LIMITS, limitSignUp } from './sign-in-limits';
import { checkCredentials } from './credentials';
import { hashPassword } from './password';

const temp = createTemporaryDatabase();
const PASSWORD = 'correct horse battery';
let userId = '';

before(async () => {
  getDb();
  userId = createPasswordUser({ name: 'Ada', email: 'ada@example.com', passwordHash: await hashPassword(PASSWORD) }).id;
});
after(() => {
  closeDb();
  temp.cleanup();
});

let ipCounter = 0;
const freshIp = () => `192.0.2.${++ipCounter}`;

describe('checking email and password', () => {
  it('accepts the right password, with the email in any case', async () => {
    const result = await checkCredentials({ email: ' ADA@example.com', password: PASSWORD }, freshIp());
    assert.deepEqual(result, { status: 'ok', user: { id: userId, name: 'Ada', email: 'ada@example.com' } });
  });

  it('gives a wrong password and an unknown email the same answer after the same work', async () => {
    const time = async (email: string) => {
      const start = process.hrtime.bigint();
      const result = await checkCredentials({ email, password: 'wrong password' }, freshIp());
      return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 };
    };
    await time('warm-up@example.com');
    const wrong = [await time('ada@example.com'), await time('ada@example.com')];
    const unknown = [await time('nobody@example.com'), await time('nobody@example.com')];
    for (const { result } of [...wrong, ...unknown]) assert.deepEqual(result, { status: 'invalid' });
    // Both paths run one full scrypt verification; the slower is well under twice the faster.
    const avg = (xs: { ms: number }[]) => xs.reduce((sum, x) => sum + x.ms, 0) / xs.length;
    const ratio = Math.max(avg(wrong), avg(unknown)) / Math.min(avg(wrong), avg(unknown));
    assert.ok(ratio < 2, `wrong password ${avg(wrong).toFixed(0)} ms vs unknown email ${avg(unknown).toFixed(0)} ms`);
  });

  it('refuses malformed input without touching the database', async () => {
    for (const input of [null, {}, { email: 'ada@example.com' }, { email: ['a'], password: PASSWORD }, { email: 'x', password: 'y' }]) {
      assert.deepEqual(await checkCredentials(input, freshIp()), { status: 'invalid' });
    }
  });

  it('refuses one client after too many attempts on an account, and says when to retry', async () => {
    createPasswordUser({ name: 'Bo', email: 'bo@example.com', passwordHash: await hashPassword(PASSWORD) });
    const guesser = freshIp();
    for (let i = 0; i < AUTH_LIMITS.signInPerAccount.limit; i += 1) {
      assert.deepEqual(await checkCredentials({ email: 'bo@example.com', password: 'guess' }, guesser), { status: 'invalid' });
    }
    const refused = await checkCredentials({ email: 'bo@example.com', password: PASSWORD }, guesser);
    assert.equal(refused.status, 'rate_limited');
    assert.match(refused.status === 'rate_limited' ? refused.message : '', /^Too many attempts\. Try again in 15 minutes\.$/);
  });

  it('failures from one client do not lock the owner out on another', async () => {
    createPasswordUser({ name: 'Di', email: 'di@example.com', passwordHash: await hashPassword(PASSWORD) });
    const guesser = freshIp();
    for (let i = 0; i < AUTH_LIMITS.signInPerAccount.limit + 3; i += 1) {
      await checkCredentials({ email: 'di@example.com', password: 'guess' }, guesser);
    }
    assert.equal((await checkCredentials({ email: 'di@example.com', password: PASSWORD }, guesser)).status, 'rate_limited');
    assert.equal((await checkCredentials({ email: 'di@example.com', password: PASSWORD }, freshIp())).status, 'ok');
  });

  it('an account guessed at from many clients is slowed down, not locked', async () => {
    createPasswordUser({ name: 'Ed', email: 'ed@example.com', passwordHash: await hashPassword(PASSWORD) });
    const shipped = { ...AUTH_LIMITS.signInSlowDown };
    Object.assign(AUTH_LIMITS.signInSlowDown, { limit: 3, delayMs: 1500 });
    try {
      const timed = async (password: string) => {
        const start = Date.now();
        const result = await checkCredentials({ email: 'ed@example.com', password }, freshIp());
        return { status: result.status, ms: Date.now() - start };
      };
      const fast = [await timed('guess 1'), await timed('guess 2'), await timed('guess 3')];
      assert.deepEqual(fast.map((attempt) => attempt.status), ['invalid', 'invalid', 'invalid']);
      const slow = await timed('guess 4');
      assert.equal(slow.status, 'invalid');
      assert.ok(slow.ms >= 1500, `answered in ${slow.ms} ms`);
      const owner = await timed(PASSWORD);
      assert.equal(owner.status, 'ok');
      assert.ok(owner.ms >= 1500, `answered in ${owner.ms} ms`);
    } finally {
      Object.assign(AUTH_LIMITS.signInSlowDown, shipped);
    }
  });

  it('a successful sign-in clears the account counter', async () => {
    createPasswordUser({ name: 'Cy', email: 'cy@example.com', passwordHash: await hashPassword(PASSWORD) });
    const ip = freshIp();
    for (let round = 0; round < 2; round += 1) {
      for (let i = 0; i < AUTH_LIMITS.signInPerAccount.limit - 1; i += 1) {
        await checkCredentials({ email: 'cy@example.com', password: 'typo' }, ip);
      }
      const ok = await checkCredentials({ email: 'cy@example.com', password: PASSWORD }, ip);
      assert.equal(ok.status, 'ok', `round ${round}`);
    }
  });

  it('limits attempts per address across accounts', async () => {
    const ip = freshIp();
    for (let i = 0; i < AUTH_LIMITS.signInPerIp.limit; i += 1) {
      await checkCredentials({ email: `spray${i}@example.com`, password: 'guess' }, ip);
    }
    const result = await checkCredentials({ email: 'ada@example.com', password: PASSWORD }, ip);
    assert.equal(result.status, 'rate_limited');
  });

  it('limits sign-ups per address', () => {
    const ip = freshIp();
    for (let i = 0; i < AUTH_LIMITS.signUpPerIp.limit; i += 1) assert.deepEqual(limitSignUp(ip), { ok: true });
    const verdict = limitSignUp(ip);
    assert.equal(verdict.ok, false);
  });
});
