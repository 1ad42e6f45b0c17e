import 'server-only';
import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { getDb, type Db } from '../index';
import { jobRuns, type JobRun } from '../schema';

/*
 * The scheduled jobs' rows (app/_lib/ops/jobs.ts runs them). Each function takes the connection
 * to use, so a test can play two server processes with two connections on one file.
 */

export type TakeJob = {
  name: string;
  owner: string;
  now: number;
  leaseMs: number;
  /**
   * The job's interval now: a last run longer ago than this makes the job due even when the
   * stored time is later (it was set with a longer interval, before a restart).
   */
  intervalMs?: number;
  /** A holder known to be dead (a killed process on this host): its lock is taken over before it expires. */
  goneOwner?: string;
};

/**
 * Takes the job for `owner` when it is due and nobody holds a live lock; the job's row, or null
 * when it is not due or someone else runs it. One statement does the check and the take, so
 * two processes (each with its own connection) cannot both see the job free: SQLite runs one
 * write at a time and the second finds the first's lock. A job never run before is inserted,
 * taken (a new job is due at once). The lock expires after `leaseMs`, so a process that died
 * mid-run holds it no longer than that.
 */
export function takeJob({ name, owner, now, leaseMs, intervalMs, goneOwner }: TakeJob, db: Db = getDb()): JobRun | null {
  const at = new Date(now);
  const until = new Date(now + leaseMs);
  const { changes } = db
    .insert(jobRuns)
    .values({ name, nextRunAt: at, lastStartedAt: at, lockOwner: owner, lockExpiresAt: until })
    .onConflictDoUpdate({
      target: jobRuns.name,
      set: { lastStartedAt: at, lockOwner: owner, lockExpiresAt: until },
      setWhere: and(
        intervalMs === undefined ? lte(jobRuns.nextRunAt, at) : or(lte(jobRuns.nextRunAt, at), lte(sql`${jobRuns.lastFinishedAt} + ${intervalMs}`, now)),
        or(isNull(jobRuns.lockExpiresAt), lte(jobRuns.lockExpiresAt, at), goneOwner === undefined ? undefined : eq(jobRuns.lockOwner, goneOwner)),
      ),
    })
    .run();
  if (changes !== 1) return null;
  return db.select().from(jobRuns).where(eq(jobRuns.name, name)).get() ?? null;
}

export type FinishJob = {
  name: string;
  owner: string;
  startedAt: number;
  finishedAt: number;
  /** Null when the run succeeded; otherwise what went wrong, stored for readiness and the log. */
  error: string | null;
  nextRunAt: number;
};

/**
 * Records a run's outcome and releases the lock, only if `owner` still holds it: a run that
 * outlived its lease and was taken over by another process records nothing (null), so the two
 * cannot overwrite each other's state.
 */
export function finishJob(run: FinishJob, db: Db = getDb()): JobRun | null {
  const ok = run.error === null;
  const finished = new Date(run.finishedAt);
  const row = db
    .update(jobRuns)
    .set({
      lastFinishedAt: finished,
      lastOutcome: ok ? 'ok' : 'failed',
      lastError: run.error,
      lastDurationMs: Math.max(0, run.finishedAt - run.startedAt),
      lastSucceededAt: ok ? finished : sql`${jobRuns.lastSucceededAt}`,
      consecutiveFailures: ok ? 0 : sql`${jobRuns.consecutiveFailures} + 1`,
      totalRuns: sql`${jobRuns.totalRuns} + 1`,
      totalFailures: ok ? sql`${jobRuns.totalFailures}` : sql`${jobRuns.totalFailures} + 1`,
      nextRunAt: new Date(run.nextRunAt),
      lockOwner: null,
      lockExpiresAt: null,
    })
    .where(and(eq(jobRuns.name, run.name), eq(jobRuns.lockOwner, run.owner)))
    .returning()
    .get();
  return row ?? null;
}

/** Who holds the job's lock now (expired or not), or null. */
export function jobLockOwner(name: string, db: Db = getDb()): string | null {
  return db.select({ owner: jobRuns.lockOwner }).from(jobRuns).where(eq(jobRuns.name, name)).get()?.owner ?? null;
}

/** Every job's stored row. */
export function jobRows(db: Db = getDb()): JobRun[] {
  return db.select().from(jobRuns).all();
}
