/*
 * Readiness (GET /api/ready): whether this process should get traffic. Liveness (/api/health)
 * only says the process answers; readiness also says it can do its work: the database opens,
 * takes writes and has every migration, the last scheduled backup (if any) succeeded, the job
 * runner is alive, and no stop has begun.
 *
 * The checks run at most once a second, whatever the probe rate: the database check is a real
 * write, and a load balancer or a benchmark may ask thousands of times a second.
 */
import { databaseProblems } from '@/db/health';
import { jobRunnerAlive, jobStatus } from './jobs';
import { isStopping } from './requests';

export type Readiness = { ready: boolean; problems: string[]; checkedAt: string };

const MAX_AGE_MS = 1000;
const holder = globalThis as unknown as { __blogReadiness?: { at: number; value: Readiness } };

function check(): Readiness {
  const problems = databaseProblems();
  const backup = jobStatus().find((job) => job.name === 'backup');
  if (backup?.lastOutcome === 'failed') problems.push(`the last scheduled backup failed: ${backup.lastError ?? 'unknown error'}`);
  if (!jobRunnerAlive()) problems.push('the background job runner is not running');
  if (isStopping()) problems.push('the server is stopping');
  return { ready: problems.length === 0, problems, checkedAt: new Date().toISOString() };
}

export function readiness(now = Date.now()): Readiness {
  const cached = holder.__blogReadiness;
  // A stop answers at once, not up to a second late.
  if (cached && now - cached.at < MAX_AGE_MS && !(isStopping() && cached.value.ready)) return cached.value;
  const value = check();
  holder.__blogReadiness = { at: now, value };
  return value;
}
