import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, beforeEach, describe, it, mock } from 'node:test';
import { backupFileName, checkBackup } from '@/db/backup';
import { closeDb, getDb } from '@/db/index';
import { jobRows } from '@/db/queries/jobs';
import { createTemporaryDatabase } from '@/db/test-db';
import { defaultJobs, jobRunnerAlive, jobStatus, runDueJobs, startJobRunner, stopJobRunner, wakeJob, type Job } from './jobs';
import { logger } from './logger';

const temp = createTemporaryDatabase();
after(() => {
  closeDb();
  temp.cleanup();
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// A timer that never fires during a test: each test ticks by calling runDueJobs itself.
const NEVER = 24 * HOUR;

let errors: { mock: { callCount(): number; calls: { arguments: unknown[] }[] } };
beforeEach(() => {
  errors = mock.method(logger(), 'error', () => {});
  mock.method(logger(), 'info', () => {});
});
afterEach(async () => {
  await stopJobRunner();
  mock.restoreAll();
});

const status = (name: string) => jobStatus().find((job) => job.name === name)!;

describe('the job runner', () => {
  it('stores a failure, logs it on one line, retries with a doubling wait, and recovers', async () => {
    let failing = true;
    const job: Job = {
      name: 'flaky',
      intervalMs: HOUR,
      run: () => {
        if (failing) throw new Error('disk\nfull');
      },
    };
    const t0 = Date.UTC(2026, 0, 1);
    startJobRunner({ jobs: [job], tickMs: NEVER, now: () => t0 });

    assert.deepEqual(await runDueJobs(t0), [{ name: 'flaky', outcome: 'failed', error: 'disk full' }]);
    assert.equal(errors.mock.callCount(), 1);
    const line = String(errors.mock.calls[0]!.arguments[1]);
    assert.ok(!line.includes('\n') && line.includes('flaky') && line.includes('disk full'), line);
    let s = status('flaky');
    assert.deepEqual(
      { outcome: s.lastOutcome, error: s.lastError, failures: s.consecutiveFailures, next: s.nextRunAt?.getTime() },
      { outcome: 'failed', error: 'disk full', failures: 1, next: t0 + MINUTE },
    );

    assert.deepEqual(await runDueJobs(t0 + MINUTE - 1), [], 'not retried before its wait is over');
    assert.equal((await runDueJobs(t0 + MINUTE))[0]?.outcome, 'failed');
    s = status('flaky');
    assert.deepEqual({ failures: s.consecutiveFailures, next: s.nextRunAt?.getTime() }, { failures: 2, next: t0 + 3 * MINUTE });
    assert.equal((await runDueJobs(t0 + 3 * MINUTE))[0]?.outcome, 'failed');
    assert.equal(status('flaky').nextRunAt?.getTime(), t0 + 7 * MINUTE, 'then 4 minutes');

    failing = false;
    assert.deepEqual(await runDueJobs(t0 + 7 * MINUTE), [{ name: 'flaky', outcome: 'ok' }]);
    s = status('flaky');
    assert.deepEqual(
      { outcome: s.lastOutcome, error: s.lastError, failures: s.consecutiveFailures, runs: s.totalRuns, failed: s.totalFailures, next: s.nextRunAt?.getTime() },
      { outcome: 'ok', error: null, failures: 0, runs: 4, failed: 3, next: t0 + 7 * MINUTE + HOUR },
    );
    assert.equal(s.lastSucceededAt?.getTime(), t0 + 7 * MINUTE);
  });

  it('caps the wait between retries at the job interval', async () => {
    const job: Job = { name: 'always-failing', intervalMs: 5 * MINUTE, run: () => Promise.reject(new Error('no')) };
    const t0 = Date.UTC(2026, 1, 1);
    startJobRunner({ jobs: [job], tickMs: NEVER, now: () => t0 });
    let at = t0;
    for (let i = 0; i < 6; i += 1) {
      await runDueJobs(at);
      at = status('always-failing').nextRunAt!.getTime();
    }
    assert.equal(status('always-failing').consecutiveFailures, 6);
    assert.equal(at - t0, (1 + 2 + 4 + 5 + 5 + 5) * MINUTE);
  });

  it('waits in stopJobRunner for the job in progress, and starts none after it', async () => {
    let release!: () => void;
    let finished = false;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const slow: Job = {
      name: 'slow',
      intervalMs: HOUR,
      run: async () => {
        started();
        await new Promise<void>((resolve) => (release = resolve));
        finished = true;
      },
    };
    let nextRan = false;
    const next: Job = {
      name: 'next',
      intervalMs: HOUR,
      run: () => {
        nextRan = true;
      },
    };
    startJobRunner({ jobs: [slow, next], tickMs: NEVER });
    const pass = runDueJobs();
    await running;

    let stopped = false;
    const stopping = stopJobRunner().then(() => (stopped = true));
    assert.equal(jobRunnerAlive(), false, 'a stopping runner no longer counts as alive');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(stopped, false, 'stop waits while the job runs');
    release();
    await stopping;
    assert.ok(finished, 'the job finished before stop resolved');
    assert.equal(nextRan, false, 'no job started after stop was called');
    assert.deepEqual(await pass, [{ name: 'slow', outcome: 'ok' }]);
    const row = jobRows().find((job) => job.name === 'slow');
    assert.equal(row?.lastOutcome, 'ok', 'the finished run was recorded');
    assert.equal(row?.lockOwner, null, 'and its lock released');
    assert.deepEqual(await runDueJobs(), [], 'nothing runs once stopped');
  });

  it('runs due jobs on its own timer, is alive while it ticks, and starts only once', async () => {
    let runs = 0;
    const job: Job = {
      name: 'ticking',
      intervalMs: HOUR,
      run: () => {
        runs += 1;
      },
    };
    startJobRunner({ jobs: [job], tickMs: 20 });
    startJobRunner({ jobs: [{ ...job, name: 'second-start' }], tickMs: NEVER });
    assert.equal(jobRunnerAlive(), true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(runs, 1, 'the timer ran the job once, then it was not due');
    assert.deepEqual(
      jobStatus().map((s) => s.name),
      [job.name],
      'the second start changed nothing',
    );
    // A blocked event loop (the timer cannot fire) is seen as a runner not alive.
    const until = Date.now() + 100;
    while (Date.now() < until);
    assert.equal(jobRunnerAlive(), false);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(jobRunnerAlive(), true);
    await stopJobRunner();
    assert.equal(jobRunnerAlive(), false);
  });
});

describe('a lock left by a process that died', () => {
  it('is taken over at once when its holder was a process on this host that no longer runs, and waited out otherwise', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const live = `${os.hostname()}:${process.ppid}:feedbeef`;
    const lock = getDb().$client.prepare(
      'insert or replace into job_runs (name, next_run_at, lock_owner, lock_expires_at) values (?, 0, ?, ?)',
    );
    const farAhead = Date.now() + HOUR;
    lock.run('left-by-dead', `${os.hostname()}:${deadPid}:deadbeef`, farAhead);
    lock.run('held-by-live', live, farAhead);
    lock.run('held-elsewhere', `another-host:${deadPid}:deadbeef`, farAhead);
    const ran: string[] = [];
    const job = (name: string): Job => ({ name, intervalMs: HOUR, run: () => void ran.push(name) });
    startJobRunner({ jobs: ['left-by-dead', 'held-by-live', 'held-elsewhere'].map(job), tickMs: NEVER });
    await runDueJobs();
    assert.deepEqual(ran, ['left-by-dead'], 'a live holder, or one on another host, keeps its lock until it expires');
  });
});

describe('a job run sooner', () => {
  it('ticks as often as its most frequent job wants to run when no tick is given', async () => {
    let runs = 0;
    startJobRunner({ jobs: [{ name: 'frequent', intervalMs: 40, run: () => void (runs += 1) }] });
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.ok(runs >= 3, `ran ${runs} times in 400 ms with a 40 ms interval`);
    assert.equal(jobRunnerAlive(), true);
  });

  it('runs a woken job soon, due or not, once for wakes that come together, and never after stop', async () => {
    let runs = 0;
    const job: Job = { name: 'wakeable', intervalMs: HOUR, run: () => void (runs += 1) };
    startJobRunner({ jobs: [job], tickMs: NEVER });
    await runDueJobs();
    assert.equal(runs, 1);
    wakeJob('wakeable');
    wakeJob('wakeable');
    wakeJob('no-such-job');
    assert.equal(runs, 1, 'not in the caller');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(runs, 2, 'once, though not due');
    assert.equal(status('wakeable').totalRuns, 2, 'recorded like any run');
    await stopJobRunner();
    wakeJob('wakeable');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(runs, 2);
  });
});

describe('the default jobs', () => {
  it('back up on schedule into backups/, each copy checked, keeping BACKUP_KEEP of them and nothing else', async () => {
    const folder = path.join(temp.folder, 'backups');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'my-copy.db'), 'mine');
    const jobs = defaultJobs({ BACKUP_INTERVAL_HOURS: 6, BACKUP_KEEP: 2 });
    assert.deepEqual(
      jobs.map((job) => [job.name, job.intervalMs]),
      [
        ['backup', 6 * HOUR],
        ['purge', HOUR],
        ['retention', HOUR],
        ['mail', 5_000],
        ['notify', 5_000],
      ],
    );
    const t0 = Date.UTC(2026, 2, 1);
    startJobRunner({ jobs, tickMs: NEVER, now: () => t0 });
    for (let i = 0; i < 4; i += 1) {
      const results = await runDueJobs(t0 + i * 6 * HOUR);
      assert.deepEqual(results.find((r) => r.name === 'backup'), { name: 'backup', outcome: 'ok' });
    }
    const kept = [2, 3].map((i) => backupFileName(new Date(t0 + i * 6 * HOUR)));
    assert.deepEqual(fs.readdirSync(folder).sort(), [...kept, 'my-copy.db'].sort());
    for (const name of kept) assert.equal(checkBackup(path.join(folder, name)).integrity, 'ok');
    const backup = status('backup');
    assert.equal(backup.lastOutcome, 'ok');
    assert.equal(backup.totalRuns, 4);
    assert.equal(backup.nextRunAt?.getTime(), t0 + 3 * 6 * HOUR + 6 * HOUR);
  });

  it('leave the backup out when BACKUP_INTERVAL_HOURS is 0, and purge expired rows', async () => {
    assert.deepEqual(
      defaultJobs({ BACKUP_INTERVAL_HOURS: 0, BACKUP_KEEP: 7 }).map((job) => job.name),
      ['purge', 'retention', 'mail', 'notify'],
    );
    assert.deepEqual(
      defaultJobs({ BACKUP_INTERVAL_HOURS: 0, BACKUP_KEEP: 7, NOTIFY_OFF: true }).map((job) => job.name),
      ['purge', 'retention', 'mail'],
      'NOTIFY_OFF leaves the notify job out',
    );
    const client = getDb().$client;
    const now = Date.UTC(2026, 3, 1);
    client.prepare("insert into rate_limits (key, window_start, count) values ('old', ?, 1), ('live', ?, 1)").run(now - 2 * 24 * HOUR, now - MINUTE);
    // Sessions: one idle longer than a cookie lives (30 days, plus the last-seen window), one in use.
    client.prepare("insert into users (id, email) values ('purge-user', 'purge@example.com')").run();
    client.prepare("insert into user_sessions (id, user_id, method, last_seen_at) values ('idle', 'purge-user', 'password', ?), ('used', 'purge-user', 'password', ?)").run(now - 31 * 24 * HOUR, now - HOUR);
    startJobRunner({ jobs: defaultJobs({ BACKUP_INTERVAL_HOURS: 0, BACKUP_KEEP: 7 }), tickMs: NEVER, now: () => now });
    assert.deepEqual(await runDueJobs(), [
      { name: 'purge', outcome: 'ok' },
      { name: 'retention', outcome: 'ok' },
      { name: 'mail', outcome: 'ok' },
      { name: 'notify', outcome: 'ok' },
    ]);
    assert.deepEqual(client.prepare('select key from rate_limits').pluck().all(), ['live']);
    assert.deepEqual(client.prepare('select id from user_sessions').pluck().all(), ['used']);
  });
});

describe('the retention job', () => {
  it('runs each retention purge by the settings, at the runner’s clock, and logs the counts', async () => {
    const client = getDb().$client;
    client.prepare('delete from rate_limits').run();
    client.prepare("insert or ignore into users (id, name, email) values ('ret-author', 'A', 'ret-author@example.com'), ('ret-mod', 'M', 'ret-mod@example.com')").run();
    const articleId = (client.prepare('select min(id) from articles').pluck().get() as number | null) ?? seedOneArticle();
    const DAY = 24 * HOUR;
    const now = Date.UTC(2027, 0, 1);
    const comment = client.prepare(
      "insert into comments (article_id, author_id, body_markdown, body_html, status, moderation_reason, reviewed_at) values (?, 'ret-author', ?, ?, ?, ?, ?) returning id",
    );
    const rejected = (comment.get(articleId, 'Old', '<p>Old</p>', 'hidden', 'moderator', now - 90 * DAY) as { id: number }).id;
    const fresh = (comment.get(articleId, 'Fresh', '<p>Fresh</p>', 'hidden', 'moderator', now - 90 * DAY + 1) as { id: number }).id;
    const reported = (comment.get(articleId, 'Reported', '<p>Reported</p>', 'hidden', 'reports', null) as { id: number }).id;
    const limit = client.prepare('insert into rate_limits (key, window_start, count) values (?, ?, 1)');
    limit.run('signup:ip:198.51.100.7', now - 7 * DAY);
    limit.run('draft:ip:198.51.100.8', now - 7 * DAY + 1);
    const draft = client.prepare('insert into comment_drafts (token, article_id, body, created_at) values (?, ?, ?, ?)');
    draft.run('ret-old', articleId, 'old', now - DAY);
    draft.run('ret-new', articleId, 'new', now - DAY + 1);

    const infos = mock.method(logger(), 'info', () => {});
    const jobs = defaultJobs({ BACKUP_INTERVAL_HOURS: 0, BACKUP_KEEP: 1, NOTIFY_OFF: true, RETAIN_REJECTED_DAYS: 90, RETAIN_IP_DAYS: 7 }).filter((job) => job.name === 'retention');
    startJobRunner({ jobs, tickMs: NEVER, now: () => now });
    assert.deepEqual(await runDueJobs(), [{ name: 'retention', outcome: 'ok' }]);

    const body = (id: number) => client.prepare('select body_markdown from comments where id = ?').pluck().get(id);
    assert.deepEqual([rejected, fresh, reported].map(body), ['', 'Fresh', 'Reported']);
    assert.deepEqual(client.prepare("select key from rate_limits where key like '%:ip:%'").pluck().all(), ['draft:ip:198.51.100.8']);
    assert.deepEqual(client.prepare("select token from comment_drafts where token like 'ret-%'").pluck().all(), ['ret-new']);
    const line = infos.mock.calls.map((call) => call.arguments).find((args) => String(args[1]).startsWith('retention:'));
    assert.ok(line, 'one line for the run');
    assert.deepEqual(line[0], { component: 'jobs', job: 'retention', rejectedComments: 1, addressKeys: 1, drafts: 1 });
    assert.match(String(line[1]), /^retention: 1 rejected comment\(s\) emptied \(rejected over 90 days ago\), 1 address-keyed rate-limit counter\(s\) and 1 draft\(s\) deleted$/);
  });
});

function seedOneArticle(): number {
  return getDb()
    .$client.prepare("insert into articles (slug, title, summary, body_markdown, content_hash) values ('ret', 'Ret', 'S', 'B', 'h') returning id")
    .pluck()
    .get() as number;
}

