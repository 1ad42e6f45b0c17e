/*
 * The scheduled jobs: a timer in each server process (started from instrumentation.ts) that runs
 * whichever job is due. When a job is due and whether someone runs it lives in SQLite (table
 * job_runs, db/queries/jobs.ts), so two processes on one database never run a job at once, and
 * readiness and the metrics can read how each job last went.
 *
 * better-sqlite3 is synchronous, so a backup blocks this process's event loop while it copies
 * (milliseconds for a small database, seconds for a large one); the jobs run one at a time, so a
 * long backup also delays the mail sender's next pass (mail waits; it is not lost).
 */
import { scheduledBackup } from '@/db/backup';
import { getDb, type Db } from '@/db/index';
import { finishJob, jobLockOwner, jobRows, takeJob } from '@/db/queries/jobs';
import {
  purgeCommentUndo,
  purgeEmailTokens,
  purgeHandledNotifications,
  purgeRateLimits,
  purgeSentMail,
  purgeSessions,
  purgeVerificationTokens,
} from '@/db/queries/purges';
import { purgeIdleSessions } from '@/db/queries/sessions';
import type { JobOutcome, JobRun } from '@/db/schema';
import { settings } from '../config.mjs';
import { MAIL_INTERVAL_MS, MAIL_JOB } from '../mail/outbox';
import { NOTIFY_INTERVAL_MS, NOTIFY_JOB } from '../notify/notify';
import { closeJobThread, runOnJobThread, stopJobThread } from './job-thread';
import { logger } from './logger';
import { newOwner, ownerGone } from './process-owner';
import { rateLimits } from '../limit-settings';
import { SESSION_TOUCH_MS } from '../auth/sessions';
import { duration, purgeExpired, retention } from '../retention';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export type JobContext = {
  db: Db;
  /** When this run started, by the runner's clock (tests set it). */
  now: number;
};

export type Job = {
  name: string;
  /** Time from a successful run to the next. */
  intervalMs: number;
  /** How long a run may hold the job's lock; after that another process may take the job over. */
  leaseMs?: number;
  /** The wait before the first retry of a failed run; it doubles with each failure, up to intervalMs. */
  retryMs?: number;
  run: (context: JobContext) => void | Promise<void>;
};

export type JobRunnerOptions = {
  /** The jobs to run; defaultJobs() from the settings unless a test gives its own. */
  jobs?: Job[];
  /** How often the runner looks for due jobs. */
  tickMs?: number;
  /** The clock jobs are scheduled by (tests set it); the liveness heartbeat always uses real time. */
  now?: () => number;
  db?: () => Db;
};

export type JobResult = { name: string; outcome: JobOutcome; error?: string };

export type JobStatus = {
  name: string;
  intervalMs: number;
  /** Some process holds the job's lock now. */
  running: boolean;
  lastStartedAt: Date | null;
  lastFinishedAt: Date | null;
  /** Null until the job first finished. */
  lastOutcome: JobOutcome | null;
  lastError: string | null;
  lastDurationMs: number | null;
  lastSucceededAt: Date | null;
  consecutiveFailures: number;
  totalRuns: number;
  totalFailures: number;
  nextRunAt: Date | null;
};

const DEFAULT_TICK_MS = 30_000;
const FIRST_PASS_MS = 3_000;
const DEFAULT_LEASE_MS = 10 * MINUTE;
const DEFAULT_RETRY_MS = MINUTE;
const ERROR_MAX = 1000;

/** The runner's one way to log: one JSON line per event, marked as the job runner's. */
function log(level: 'info' | 'error', line: string): void {
  logger()[level]({ component: 'jobs' }, line);
}

/**
 * The longest window any rate limit counts in (app/_lib/limit-settings.ts, plus the comment
 * flood control's interval and hour in app/_lib/comments/service.ts): a rate_limits row older
 * than that is past its window whatever its key.
 */
function longestRateLimitWindowMs(): number {
  const limits = rateLimits();
  const windows = Object.values(limits).flatMap((value) =>
    typeof value === 'object' && value !== null && 'windowMs' in value ? [value.windowMs] : [],
  );
  return Math.max(HOUR, limits.comments.minIntervalMs, ...windows);
}

/**
 * The jobs the server runs, from the settings (BACKUP_INTERVAL_HOURS=0 turns the backup off),
 * and the mail sender, which reads its own settings at each pass.
 */
export function defaultJobs(
  config: { BACKUP_INTERVAL_HOURS: number; BACKUP_KEEP: number; NOTIFY_OFF?: boolean; RETAIN_REJECTED_DAYS?: number; RETAIN_IP_DAYS?: number } = settings(),
): Job[] {
  const kept = retention({ ...settings(), ...config });
  const jobs: Job[] = [];
  if (config.BACKUP_INTERVAL_HOURS > 0) {
    jobs.push({
      name: 'backup',
      intervalMs: config.BACKUP_INTERVAL_HOURS * HOUR,
      // A large database may take minutes to copy and check; a crashed run frees the job after this.
      leaseMs: HOUR,
      run: ({ db, now }) => {
        const { target, ms, comments, deleted } = scheduledBackup(db.$client.name, config.BACKUP_KEEP, new Date(now));
        log('info', `backup: ${target} in ${ms} ms, integrity ok, ${comments} comments; ${deleted.length} older deleted`);
      },
    });
  }
  jobs.push({
    name: 'purge',
    intervalMs: HOUR,
    run: ({ db, now }) => {
      const windowMs = longestRateLimitWindowMs();
      db.transaction(() => {
        purgeRateLimits(windowMs, now, db);
        purgeCommentUndo(now, db);
        purgeVerificationTokens(now, db);
        purgeSessions(now, db);
        purgeIdleSessions(kept.sessionIdleMs, SESSION_TOUCH_MS, now, db);
        purgeEmailTokens(now, db);
        purgeSentMail(kept.sentMailMs, now, db);
        purgeHandledNotifications(kept.handledNotificationMs, now, db);
      });
    },
  });
  // What the privacy page promises readers (app/_lib/retention.ts), apart from the purge above so
  // its counts are logged and a failure shows as its own job. Each purge commits on its own.
  jobs.push({
    name: 'retention',
    intervalMs: HOUR,
    run: ({ db, now }) => {
      const gone = purgeExpired(kept, now, db);
      // The counts as fields too, so a log query can sum them.
      logger().info(
        { component: 'jobs', job: 'retention', ...gone },
        `retention: ${gone.rejectedComments} rejected comment(s) emptied (rejected over ${duration(kept.rejectedCommentMs)} ago), ` +
          `${gone.addressKeys} address-keyed rate-limit counter(s) and ${gone.drafts} draft(s) deleted`,
      );
    },
  });
  jobs.push({
    name: MAIL_JOB,
    intervalMs: MAIL_INTERVAL_MS,
    // A pass ends itself within about a minute (app/_lib/mail/outbox.ts); a crashed one frees
    // the job after this.
    leaseMs: 5 * MINUTE,
    retryMs: MAIL_INTERVAL_MS,
    // On the job thread (job-thread.ts), with the database at DATABASE_PATH.
    run: async ({ now }) => {
      await runOnJobThread(MAIL_JOB, now);
    },
  });
  if (!config.NOTIFY_OFF) {
    jobs.push({
      name: NOTIFY_JOB,
      intervalMs: NOTIFY_INTERVAL_MS,
      retryMs: NOTIFY_INTERVAL_MS,
      run: async ({ now }) => {
        // Stored in its transactions, which have committed by now: the sender can take them.
        if ((await runOnJobThread(NOTIFY_JOB, now)).mailed! > 0) wakeJob(MAIL_JOB);
      },
    });
  }
  return jobs;
}

type Runner = {
  /** Names this runner in the lock column: host, process and a random part per start. */
  owner: string;
  jobs: Job[];
  tickMs: number;
  /** How long without a tick before the runner counts as not alive. */
  aliveMs: number;
  now: () => number;
  db: () => Db;
  timer: NodeJS.Timeout;
  /** The first pass, soon after start rather than a whole tick later. */
  first: NodeJS.Timeout;
  /** Real time of the last tick or finished job, for jobRunnerAlive(). */
  beatAt: number;
  /** The pass over the jobs in progress, if any; passes run one after another. */
  running: Promise<void> | null;
  /** Jobs woken by wakeJob whose run has not started yet. */
  woken: Set<string>;
  stopped: boolean;
};

// On globalThis: Next may load this module in more than one bundle (instrumentation, routes),
// and start, stop, alive and status must all see the process's one runner.
const holder = globalThis as unknown as { __blogJobRunner?: Runner };

/**
 * Starts this process's runner; calling it again while one runs does nothing. The timer is
 * unref'd, so it never keeps the process alive. The first pass comes a few seconds after start
 * (after the server's first requests, not in their way), then one every tick.
 */
export function startJobRunner(options: JobRunnerOptions = {}): void {
  if (holder.__blogJobRunner && !holder.__blogJobRunner.stopped) return;
  const jobs = options.jobs ?? defaultJobs();
  // Ticks at least as often as the most frequent job wants to run (the mail sender's 5 s), or
  // its interval would be the tick's. Liveness keeps the default tick's measure, so a backup
  // that blocks the event loop for a while does not sooner make the runner look dead.
  const tickMs = options.tickMs ?? Math.min(DEFAULT_TICK_MS, ...jobs.map((job) => job.intervalMs));
  const runner: Runner = {
    owner: newOwner(),
    jobs,
    tickMs,
    aliveMs: 3 * (options.tickMs ?? DEFAULT_TICK_MS),
    now: options.now ?? Date.now,
    db: options.db ?? getDb,
    timer: setInterval(() => tick(runner), tickMs).unref(),
    // A runner with its own tick (the tests') gets no early pass.
    first: setTimeout(() => tick(runner), options.tickMs === undefined ? FIRST_PASS_MS : tickMs).unref(),
    beatAt: Date.now(),
    running: null,
    woken: new Set(),
    stopped: false,
  };
  holder.__blogJobRunner = runner;
}

function tick(runner: Runner): void {
  runner.beatAt = Date.now();
  // A long job still running: this tick only says the runner is alive.
  if (runner.stopped || runner.running) return;
  pass(runner, () => runner.now()).catch((error: unknown) => log('error', `a pass over the jobs failed: ${oneLine(error)}`));
}

/**
 * Runs every job that is due at `now` (the runner's clock by default) and whose lock this
 * process takes, one after another; what each did. Tests call it to tick at once. Nothing runs
 * when no runner is started or it is stopping.
 */
export function runDueJobs(now?: number): Promise<JobResult[]> {
  const runner = holder.__blogJobRunner;
  if (!runner || runner.stopped) return Promise.resolve([]);
  return pass(runner, now === undefined ? () => runner.now() : () => now);
}

const WAKE_DELAY_MS = 20;

/**
 * Runs the job `name` soon, due or not: the mail sender right after a message is queued. Later
 * by a timer, never in the caller (a request, maybe inside its transaction, which has committed
 * by then); wakes that come before that run starts are one run. Only where this process's runner
 * is started and has the job: elsewhere (a script, a test) the server's runner finds the work on
 * its next tick. The job's lock still holds, so a wake never runs it twice at once.
 */
export function wakeJob(name: string): void {
  const runner = holder.__blogJobRunner;
  const job = runner?.jobs.find((candidate) => candidate.name === name);
  if (!runner || !job || runner.stopped || runner.woken.has(name)) return;
  runner.woken.add(name);
  setTimeout(() => {
    if (runner.stopped) return;
    pass(runner, () => runner.now(), { only: job, onStart: () => runner.woken.delete(name) }).catch((error: unknown) =>
      log('error', `${name} could not run when woken: ${oneLine(error)}`),
    );
  }, WAKE_DELAY_MS).unref();
}

/**
 * A pass over the jobs (or over `only`, due or not), after the pass in progress if any; `now` is
 * read when it starts.
 */
function pass(runner: Runner, now: () => number, woken?: { only: Job; onStart: () => void }): Promise<JobResult[]> {
  const results = (runner.running ?? Promise.resolve()).then(async () => {
    woken?.onStart();
    const at = now();
    const done: JobResult[] = [];
    for (const job of woken ? [woken.only] : runner.jobs) {
      if (runner.stopped) break;
      const result = await runJob(runner, job, at, !!woken);
      runner.beatAt = Date.now();
      if (result) done.push(result);
    }
    return done;
  });
  const settled = results.then(
    () => undefined,
    () => undefined,
  );
  runner.running = settled;
  void settled.then(() => {
    if (runner.running === settled) runner.running = null;
  });
  return results;
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, ERROR_MAX) || 'failed without a message';
}

/** The wait after the `failures`-th failure in a row: retryMs, doubling, at most the interval. */
export function retryDelayMs(job: Job, failures: number): number {
  return Math.min((job.retryMs ?? DEFAULT_RETRY_MS) * 2 ** Math.max(0, failures - 1), job.intervalMs);
}

async function runJob(runner: Runner, job: Job, now: number, woken = false): Promise<JobResult | null> {
  let db: Db;
  let taken: JobRun | null;
  try {
    db = runner.db();
    // A woken job is taken as if its interval were 0: due whenever it is not running.
    const intervalMs = woken ? 0 : job.intervalMs;
    // A lock left by this server's previous life (killed, then started again) is not waited out.
    const holder = jobLockOwner(job.name, db);
    const goneOwner = holder && holder !== runner.owner && ownerGone(holder, runner.owner) ? holder : undefined;
    taken = takeJob({ name: job.name, owner: runner.owner, now, leaseMs: job.leaseMs ?? DEFAULT_LEASE_MS, intervalMs, goneOwner }, db);
  } catch (error) {
    // The database itself is failing (readiness reports that); try again next tick.
    log('error', `${job.name} could not start: ${oneLine(error)}`);
    return null;
  }
  if (!taken) return null;

  let error: string | null = null;
  try {
    await job.run({ db, now });
  } catch (thrown) {
    error = oneLine(thrown);
  }
  const finishedAt = Math.max(now, runner.now());
  const failures = error === null ? 0 : taken.consecutiveFailures + 1;
  const waitMs = error === null ? job.intervalMs : retryDelayMs(job, failures);
  try {
    const recorded = finishJob({ name: job.name, owner: runner.owner, startedAt: now, finishedAt, error, nextRunAt: finishedAt + waitMs }, db);
    if (!recorded) log('error', `${job.name} outlived its lock and another process took it over; this run is not recorded`);
  } catch (thrown) {
    log('error', `${job.name} finished but could not be recorded: ${oneLine(thrown)}`);
  }
  if (error !== null) {
    log('error', `${job.name} failed (${failures} in a row, next try in ${Math.round(waitMs / 1000)} s): ${error}`);
    return { name: job.name, outcome: 'failed', error };
  }
  if (taken.consecutiveFailures > 0) log('info', `${job.name} succeeded again after ${taken.consecutiveFailures} failure(s)`);
  return { name: job.name, outcome: 'ok' };
}

/**
 * Stops the runner: no job starts after this is called, and the promise resolves once the job
 * in progress, if any, has finished and been recorded (the graceful shutdown waits for it).
 */
export async function stopJobRunner(): Promise<void> {
  const runner = holder.__blogJobRunner;
  if (!runner) return;
  runner.stopped = true;
  stopJobThread();
  clearInterval(runner.timer);
  clearTimeout(runner.first);
  if (holder.__blogJobRunner === runner) holder.__blogJobRunner = undefined;
  while (runner.running) await runner.running;
  await closeJobThread();
}

/** The runner is started, not stopping, and has ticked (or finished a job) within three (default) ticks. */
export function jobRunnerAlive(): boolean {
  const runner = holder.__blogJobRunner;
  return !!runner && !runner.stopped && Date.now() - runner.beatAt <= runner.aliveMs;
}

/**
 * Each job of this process's runner (or of the settings, when none is started) with its stored
 * row: for readiness (did the last backup succeed?) and the metrics. A job that never ran has
 * nulls and zeros.
 */
export function jobStatus(): JobStatus[] {
  const runner = holder.__blogJobRunner;
  const jobs = runner?.jobs ?? defaultJobs();
  const rows = new Map(jobRows((runner?.db ?? getDb)()).map((row) => [row.name, row]));
  const now = runner?.now() ?? Date.now();
  return jobs.map((job) => {
    const row = rows.get(job.name);
    return {
      name: job.name,
      intervalMs: job.intervalMs,
      running: !!row?.lockOwner && !!row.lockExpiresAt && row.lockExpiresAt.getTime() > now,
      lastStartedAt: row?.lastStartedAt ?? null,
      lastFinishedAt: row?.lastFinishedAt ?? null,
      lastOutcome: row?.lastOutcome ?? null,
      lastError: row?.lastError ?? null,
      lastDurationMs: row?.lastDurationMs ?? null,
      lastSucceededAt: row?.lastSucceededAt ?? null,
      consecutiveFailures: row?.consecutiveFailures ?? 0,
      totalRuns: row?.totalRuns ?? 0,
      totalFailures: row?.totalFailures ?? 0,
      nextRunAt: row?.nextRunAt ?? null,
    };
  });
}
