import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeDb, getDb } from '@/db/index';
import { listSessions, purgeIdleSessions } from '@/db/queries/sessions';
import { createPasswordUser, setPassword } from '@/db/queries/users';
import { createTemporaryDatabase } from '@/db/test-db';
import { loadSessionUser } from './roles';
import { SESSION_MAX_AGE_SECONDS, SESSION_TOUCH_MS, describeDevice, endAllSessions, endOtherSessions, endSession, mySessions, networkOf, startSession } from './sessions';

/*
 * The session rules against real SQLite: a session is its row, and every way of ending one
 * (one from another browser, all others, all, a password change, the account's deletion) makes
 * the next request with its cookie signed out. Ending a session that is not the reader's
 * changes nothing.
 */
const temp = createTemporaryDatabase();
before(() => getDb());
after(() => {
  closeDb();
  temp.cleanup();
});

let count = 0;
function reader() {
  count += 1;
  return createPasswordUser({ name: `Reader ${count}`, email: `reader${count}@example.com`, passwordHash: 'x' });
}
const live = (userId: string, sessionId: string | null, now?: number) => loadSessionUser({ userId, sessionVersion: 0, sessionId }, undefined, now) !== null;
const lastSeen = (userId: string, id: string) => listSessions(userId).find((s) => s.id === id)?.lastSeenAt.getTime();

describe('sessions', () => {
  it('a token without a session id (issued before sessions had rows) is signed out', async () => {
    const user = reader();
    await startSession(user.id, 'password');
    assert.equal(live(user.id, null), false);
  });

  it('a session is live while its row is, and only for its own user', async () => {
    const alice = reader();
    const bob = reader();
    const id = await startSession(alice.id, 'password');
    assert.equal(live(alice.id, id), true);
    assert.equal(live(bob.id, id), false, 'another user’s session id');
    assert.equal(live(alice.id, 'made-up-session-id'), false);
  });

  it('signing out one session from another ends it at its next request; the other stays', async () => {
    const user = reader();
    const here = await startSession(user.id, 'password');
    const there = await startSession(user.id, 'link');
    const result = endSession(user, here, there);
    assert.equal(result.ok, true);
    assert.equal(live(user.id, there), false);
    assert.equal(live(user.id, here), true);
  });

  it('ending another reader’s session, a made-up one, an ended one or this one changes nothing and says so', async () => {
    const alice = reader();
    const bob = reader();
    const mine = await startSession(alice.id, 'password');
    const theirs = await startSession(bob.id, 'password');
    const ended = await startSession(alice.id, 'password');
    endSession(alice, mine, ended);
    for (const id of [theirs, 'made-up-session-id', ended]) {
      const result = endSession(alice, mine, id);
      assert.equal(result.ok ? 'ended' : result.code, 'not_found:session', id);
    }
    const own = endSession(alice, mine, mine);
    assert.equal(own.ok ? 'ended' : own.code, 'invalid:session_current');
    const signedOut = endSession(null, null, theirs);
    assert.equal(signedOut.ok ? 'ended' : signedOut.code, 'unauthorized:session');
    assert.equal(live(bob.id, theirs), true);
    assert.equal(live(alice.id, mine), true);
  });

  it('“everywhere else” keeps only this session; “everywhere” ends them all', async () => {
    const user = reader();
    const here = await startSession(user.id, 'password');
    const others = [await startSession(user.id, 'oidc'), await startSession(user.id, 'link')];
    const result = endOtherSessions(user, here);
    assert.deepEqual(result, { ok: true, value: { ended: 2 } });
    assert.deepEqual(
      others.map((id) => live(user.id, id)),
      [false, false],
    );
    assert.equal(live(user.id, here), true);
    assert.deepEqual(endAllSessions(user), { ok: true, value: { ended: 1 } });
    assert.equal(live(user.id, here), false);
  });

  it('a password change ends every session (the browser that made it signs in afresh)', async () => {
    const user = reader();
    const id = await startSession(user.id, 'password');
    setPassword(getDb(), user.id, 'new-hash');
    assert.equal(listSessions(user.id).length, 0);
    assert.equal(loadSessionUser({ userId: user.id, sessionVersion: 1, sessionId: id }), null);
  });

  it('deleting the account deletes its sessions', async () => {
    const user = reader();
    await startSession(user.id, 'password');
    getDb().$client.prepare('delete from users where id = ?').run(user.id);
    assert.equal(getDb().$client.prepare('select count(*) from user_sessions where user_id = ?').pluck().get(user.id), 0);
  });

  it('“last seen” moves at most once per SESSION_TOUCH_MS, not on every request', async () => {
    const user = reader();
    const id = await startSession(user.id, 'password');
    const start = lastSeen(user.id, id)!;
    assert.equal(live(user.id, id, start + SESSION_TOUCH_MS - 1000), true);
    assert.equal(lastSeen(user.id, id), start, 'a request within the window writes nothing');
    assert.equal(live(user.id, id, start + SESSION_TOUCH_MS + 1000), true);
    assert.equal(lastSeen(user.id, id), start + SESSION_TOUCH_MS + 1000);
  });

  it('the purge deletes sessions unused for longer than a cookie lives, and keeps the rest', async () => {
    const user = reader();
    const old = await startSession(user.id, 'password');
    const recent = await startSession(user.id, 'password');
    const now = Date.now();
    getDb().$client.prepare('update user_sessions set last_seen_at = ? where id = ?').run(now - SESSION_MAX_AGE_SECONDS * 1000 - SESSION_TOUCH_MS - 1000, old);
    assert.equal(purgeIdleSessions(SESSION_MAX_AGE_SECONDS * 1000, SESSION_TOUCH_MS, now), 1);
    assert.deepEqual(
      listSessions(user.id).map((s) => s.id),
      [recent],
    );
  });

  it('the profile lists this session first, marked', async () => {
    const user = reader();
    const other = await startSession(user.id, 'oidc');
    const here = await startSession(user.id, 'password');
    const shown = mySessions(user, here);
    assert.deepEqual(
      shown.map((s) => [s.id, s.current]),
      [
        [here, true],
        [other, false],
      ],
    );
    assert.equal(shown[0]?.method, 'with a password');
  });
});

describe('what the list shows about a session', () => {
  it('keeps only the network of the client address: /24 for IPv4, /48 for IPv6', () => {
    assert.equal(networkOf('203.0.113.77'), '203.0.113.0/24');
    assert.equal(networkOf('2001:db8:abcd:12:34::1'), '2001:db8:abcd::/48');
    assert.equal(networkOf('::ffff:198.51.100.9'), '198.51.100.0/24');
    for (const bad of ['any', '', 'not-an-address', '0x7f.1', '203.0.113.999', '<script>']) assert.equal(networkOf(bad), null, bad);
  });

  it('summarises the User-Agent as browser and system', () => {
    assert.equal(
      describeDevice('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'),
      'Chrome 131 on Windows',
    );
    assert.equal(describeDevice('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'), 'Firefox 128 on Linux');
    assert.equal(
      describeDevice('Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'),
      'Safari 17 on iOS',
    );
    assert.equal(describeDevice(null), 'An unknown browser');
    assert.equal(describeDevice(''), 'An unknown browser');
  });
});
