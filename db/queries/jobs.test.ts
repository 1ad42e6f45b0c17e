import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { twoConnections } from '../test-db';
import { finishJob, jobRows, takeJob } from './jobs';

const run = promisify(execFile);
const { first, second, ...temp } = twoConnections();

describe('the job lock in job_runs', () => {
  it('goes to one of two processes that try at the same moment, and to nobody else while held', () => {
    const t0 = 1_000_000;
    const a = takeJob({ name: 'same', owner: 'A', now: t0, leaseMs: 60_000 }, first);
    const b = takeJob({ name: 'same', owner: 'B', now: t0, leaseMs: 60_000 }, second);
    assert.ok(a, 'the first caller takes a job never run before');
    assert.equal(a.lockOwner, 'A');
    assert.equal(b, null);
    assert.equal(takeJob({ name: 'same', owner: 'B', now: t0 + 59_999, leaseMs: 60_000 }, second), null);
  });

  it('is taken over once it expired, and then only the new owner can record the run', () => {
    const t0 = 2_000_000;
    assert.ok(takeJob({ name: 'crashed', owner: 'A', now: t0, leaseMs: 1_000 }, first));
    assert.equal(takeJob({ name: 'crashed', owner: 'B', now: t0 + 999, leaseMs: 1_000 }, second), null);
    const b = takeJob({ name: 'crashed', owner: 'B', now: t0 + 1_000, leaseMs: 1_000 }, second);
    assert.equal(b?.lockOwner, 'B', 'a lock past its expiry is free');
    // A was only slow, not dead: its late finish must not release or overwrite B's run.
    assert.equal(finishJob({ name: 'crashed', owner: 'A', startedAt: t0, finishedAt: t0 + 1_500, error: null, nextRunAt: t0 + 9_000 }, first), null);
    const done = finishJob({ name: 'crashed', owner: 'B', startedAt: t0 + 1_000, finishedAt: t0 + 1_200, error: null, nextRunAt: t0 + 10_000 }, second);
    assert.equal(done?.lockOwner, null);
    assert.equal(done?.totalRuns, 1);
    assert.equal(done?.lastDurationMs, 200);
    assert.equal(done?.nextRunAt.getTime(), t0 + 10_000);
  });

  it('is not taken before the job is due, and is once it is', () => {
    const t0 = 3_000_000;
    assert.ok(takeJob({ name: 'hourly', owner: 'A', now: t0, leaseMs: 60_000 }, first));
    finishJob({ name: 'hourly', owner: 'A', startedAt: t0, finishedAt: t0, error: null, nextRunAt: t0 + 3_600_000 }, first);
    assert.equal(takeJob({ name: 'hourly', owner: 'B', now: t0 + 3_599_999, leaseMs: 60_000 }, second), null);
    assert.ok(takeJob({ name: 'hourly', owner: 'B', now: t0 + 3_600_000, leaseMs: 60_000 }, second));
  });

  it('is due sooner when its interval was shortened since the stored time was set', () => {
    const t0 = 3_500_000;
    assert.ok(takeJob({ name: 'shortened', owner: 'A', now: t0, leaseMs: 60_000 }, first));
    finishJob({ name: 'shortened', owner: 'A', startedAt: t0, finishedAt: t0, error: null, nextRunAt: t0 + 24 * 3_600_000 }, first);
    assert.equal(takeJob({ name: 'shortened', owner: 'B', now: t0 + 3_599_999, leaseMs: 60_000, intervalMs: 3_600_000 }, second), null);
    assert.ok(takeJob({ name: 'shortened', owner: 'B', now: t0 + 3_600_000, leaseMs: 60_000, intervalMs: 3_600_000 }, second));
  });

  it('counts failures in a row and in total, keeps the last success, and resets on success', () => {
    const t0 = 4_000_000;
    const step = (n: number, error: string | null) => {
      assert.ok(takeJob({ name: 'flaky', owner: 'A', now: t0 + n, leaseMs: 60_000 }, first));
      return finishJob({ name: 'flaky', owner: 'A', startedAt: t0 + n, finishedAt: t0 + n + 1, error, nextRunAt: t0 + n + 1 }, first);
    };
    assert.equal(step(0, null)?.lastSucceededAt?.getTime(), t0 + 1);
    const failed = step(10, 'disk full');
    assert.deepEqual(
      { outcome: failed?.lastOutcome, error: failed?.lastError, failures: failed?.consecutiveFailures, succeeded: failed?.lastSucceededAt?.getTime() },
      { outcome: 'failed', error: 'disk full', failures: 1, succeeded: t0 + 1 },
    );
    assert.equal(step(20, 'disk full')?.consecutiveFailures, 2);
    const ok = step(30, null);
    assert.deepEqual(
      { outcome: ok?.lastOutcome, error: ok?.lastError, failures: ok?.consecutiveFailures, runs: ok?.totalRuns, failuresTotal: ok?.totalFailures },
      { outcome: 'ok', error: null, failures: 0, runs: 4, failuresTotal: 2 },
    );
  });

  it('goes to exactly one of two real processes racing for the same jobs', async () => {
    // Half the jobs exist and are due (the UPDATE path), half are new (the INSERT path).
    const names = Array.from({ length: 100 }, (_, i) => (i % 2 ? `race-new-${i}` : `race-due-${i}`));
    const due = new Date(1);
    for (const name of names.filter((n) => n.startsWith('race-due'))) {
      first.$client.prepare('insert into job_runs (name, next_run_at) values (?, ?)').run(name, due.getTime());
    }
    const barrier = fs.mkdtempSync(path.join(temp.folder, 'barrier-'));
    const fixture = fileURLToPath(new URL('./jobs-race.fixture.ts', import.meta.url));
    const child = (owner: string) =>
      run(process.execPath, ['--conditions=react-server', '--import', 'tsx', fixture, temp.file, owner, barrier, '2', names.join(',')], { timeout: 90_000 }).then(
        ({ stdout }) => JSON.parse(stdout) as string[],
      );
    const [p, q] = await Promise.all([child('P'), child('Q')]);
    assert.equal(p.length + q.length, names.length, `every job was taken once (P ${p.length}, Q ${q.length})`);
    assert.deepEqual([...p, ...q].sort(), [...names].sort(), 'no job was taken twice');
    const owners = new Map(jobRows(first).map((row) => [row.name, row.lockOwner]));
    for (const name of p) assert.equal(owners.get(name), 'P');
    for (const name of q) assert.equal(owners.get(name), 'Q');
  });
});
