import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeEach, describe, it } from 'node:test';
import { twoConnections } from '../test-db';
import { INTERRUPTED, claimDue, enqueueMail, listFailedMail, mailCounts, markFailed, markRetry, markSent, recoverStale, retryFailedMail, waitingMailCount, type NewMail } from './mail';

const run = promisify(execFile);
const { first, second, ...temp } = twoConnections();
beforeEach(() => {
  first.$client.exec('delete from mail_outbox');
});

let serial = 0;
const T0 = Date.UTC(2026, 5, 1);
function message(overrides: Partial<NewMail> = {}): NewMail {
  serial += 1;
  return {
    kind: 'test',
    to: `reader${serial}@example.test`,
    subject: `Message ${serial}`,
    text: 'text',
    html: '<p>html</p>',
    messageId: `<m${serial}@localhost>`,
    sendAfter: new Date(T0),
    ...overrides,
  };
}

describe('the mail outbox', () => {
  it('stores a message with the transaction that caused it, and none when that rolls back', () => {
    assert.throws(() =>
      first.transaction((tx) => {
        enqueueMail(tx, message());
        throw new Error('the post failed');
      }),
    );
    assert.equal(mailCounts(first).queued, 0, 'the rolled-back event left no mail');
    const row = first.transaction((tx) => enqueueMail(tx, message({ headers: { 'List-Unsubscribe': '<https://x.test/u>' } })));
    assert.equal(row.status, 'queued');
    assert.equal(row.attempts, 0);
    assert.deepEqual(row.headers, { 'List-Unsubscribe': '<https://x.test/u>' });
    assert.equal(row.nextAttemptAt.getTime(), T0);
    assert.equal(waitingMailCount(second), 1, 'and another connection sees it once committed');
  });

  it("stores through the connection it is given, each connection's statement its own (the second plays another process)", () => {
    // The insert is compiled once per connection: one compiled on `first` must not carry
    // `second`'s message outside `second`'s transaction.
    enqueueMail(first, message());
    const lost = message();
    assert.throws(() =>
      second.transaction((tx) => {
        enqueueMail(tx, lost);
        throw new Error('the post failed');
      }),
    );
    assert.equal(first.$client.prepare('select count(*) from mail_outbox where message_id = ?').pluck().get(lost.messageId), 0, 'rolled back with its transaction');
    const kept = second.transaction((tx) => enqueueMail(tx, message({ sendAfter: undefined, mentions: [] })));
    assert.ok(Math.abs(kept.nextAttemptAt.getTime() - Date.now()) < 5_000, 'due now when it names no time');
    assert.equal(mailCounts(first).queued, 2);
  });

  it('claims only due queued rows, oldest due first, counting the attempt', () => {
    const later = enqueueMail(first, message({ sendAfter: new Date(T0 + 2000) }));
    const due = enqueueMail(first, message({ sendAfter: new Date(T0 + 1000) }));
    enqueueMail(first, message({ sendAfter: new Date(T0 + 60_000) }));
    const claimed = claimDue(T0 + 5000, 'A', 10, first);
    assert.deepEqual(
      claimed.map((row) => [row.id, row.status, row.claimedBy, row.claimedAt?.getTime(), row.attempts]),
      [
        [due.id, 'sending', 'A', T0 + 5000, 1],
        [later.id, 'sending', 'A', T0 + 5000, 1],
      ],
    );
    assert.deepEqual(claimDue(T0 + 5000, 'B', 10, second), [], 'claimed rows and rows not yet due are left alone');
  });

  it('gives each row to one of two connections', () => {
    const ids = Array.from({ length: 10 }, () => enqueueMail(first, message()).id);
    const a = claimDue(T0, 'A', 4, first).map((row) => row.id);
    const b = claimDue(T0, 'B', 100, second).map((row) => row.id);
    assert.equal(a.length, 4, 'the limit holds');
    assert.deepEqual([...a, ...b].sort((x, y) => x - y), ids, 'every row once, none twice');
  });

  it('gives each row to exactly one of two real processes claiming at the same moment', async () => {
    const ids = first.transaction((tx) => Array.from({ length: 200 }, () => enqueueMail(tx, message({ sendAfter: new Date(1) })).id));
    const barrier = fs.mkdtempSync(path.join(temp.folder, 'barrier-'));
    const fixture = fileURLToPath(new URL('./mail-race.fixture.ts', import.meta.url));
    const child = (owner: string) =>
      run(process.execPath, ['--conditions=react-server', '--import', 'tsx', fixture, temp.file, owner, barrier, '2'], { timeout: 90_000 }).then(
        ({ stdout }) => JSON.parse(stdout) as number[],
      );
    const [p, q] = await Promise.all([child('P'), child('Q')]);
    assert.equal(p.length + q.length, ids.length, `every row was claimed once (P ${p.length}, Q ${q.length})`);
    assert.deepEqual([...p, ...q].sort((x, y) => x - y), ids, 'no row was claimed twice');
    const owners = new Map(first.$client.prepare('select id, claimed_by from mail_outbox').all().map((row) => [(row as { id: number }).id, (row as { claimed_by: string }).claimed_by]));
    for (const id of p) assert.equal(owners.get(id), 'P');
    for (const id of q) assert.equal(owners.get(id), 'Q');
  });

  it('lets only the claim owner settle a failure, and records a delivery whoever reports it', () => {
    const { id } = enqueueMail(first, message());
    claimDue(T0, 'A', 1, first);
    assert.equal(markRetry(id, 'B', 'not mine', T0 + 1, second), false);
    assert.equal(markFailed(id, 'B', 'not mine', second), false);
    assert.equal(markRetry(id, 'A', 'connection refused', T0 + 30_000, first), true);
    let row = first.$client.prepare('select status, next_attempt_at, last_error, claimed_by from mail_outbox where id = ?').get(id);
    assert.deepEqual(row, { status: 'queued', next_attempt_at: T0 + 30_000, last_error: 'connection refused', claimed_by: null });
    assert.deepEqual(claimDue(T0 + 29_999, 'A', 1, first), [], 'not before its retry is due');
    assert.equal(claimDue(T0 + 30_000, 'A', 1, first)[0]?.attempts, 2);
    assert.equal(markSent(id, T0 + 31_000, second), true);
    assert.equal(markSent(id, T0 + 32_000, first), false, 'already sent');
    row = first.$client.prepare('select status, sent_at, last_error from mail_outbox where id = ?').get(id);
    assert.deepEqual(row, { status: 'sent', sent_at: T0 + 31_000, last_error: null });
  });

  it('lists failed mail for admins, newest first, and sends one again on request', () => {
    const older = enqueueMail(first, message());
    const newer = enqueueMail(first, message());
    claimDue(T0, 'A', 2, first);
    markFailed(older.id, 'A', 'mailbox unavailable', first);
    markFailed(newer.id, 'A', 'mailbox unavailable', first);
    assert.deepEqual(
      listFailedMail(100, second).map((row) => [row.id, row.lastError]),
      [
        [newer.id, 'mailbox unavailable'],
        [older.id, 'mailbox unavailable'],
      ],
    );
    assert.equal(retryFailedMail(older.id, T0 + 5, first), true);
    assert.equal(retryFailedMail(older.id, T0 + 5, first), false, 'only a failed row');
    const [again] = claimDue(T0 + 5, 'A', 1, first);
    assert.deepEqual([again?.id, again?.attempts], [older.id, 1]);
  });

  it('takes back a row stuck in sending once its claim timed out or its owner is gone', () => {
    const timedOut = enqueueMail(first, message());
    claimDue(T0, 'other-host:1:a', 1, first);
    const gone = enqueueMail(first, message());
    claimDue(T0 + 1, 'dead', 1, first);
    const live = enqueueMail(first, message());
    claimDue(T0 + 2, 'alive', 1, first);
    const options = { timeoutMs: 600_000, maxAttempts: 5, ownerGone: (owner: string) => owner === 'dead' };

    assert.deepEqual(
      recoverStale({ ...options, now: T0 + 599_999 }, second).map((row) => row.id),
      [gone.id],
      'a dead owner at once; a live or unknown one keeps its claim until the timeout',
    );
    const recovered = recoverStale({ ...options, now: T0 + 600_000 }, second);
    assert.deepEqual(
      recovered.map((row) => [row.id, row.status, row.lastError, row.claimedBy, row.nextAttemptAt.getTime(), row.messageId]),
      [[timedOut.id, 'queued', INTERRUPTED, null, T0 + 600_000, timedOut.messageId]],
      'due again at once, with the same Message-ID',
    );
    assert.equal(first.$client.prepare('select status from mail_outbox where id = ?').pluck().get(live.id), 'sending');
  });

  it('marks a stuck row failed when its interrupted attempt was the last', () => {
    const { id } = enqueueMail(first, message());
    claimDue(T0, 'A', 1, first);
    const [row] = recoverStale({ now: T0 + 1, timeoutMs: 1, maxAttempts: 1 }, first);
    assert.deepEqual([row?.id, row?.status, row?.lastError], [id, 'failed', INTERRUPTED]);
    assert.deepEqual(
      listFailedMail(100, first).map((failed) => failed.id),
      [id],
    );
  });
});
