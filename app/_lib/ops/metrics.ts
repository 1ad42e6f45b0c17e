/*
 * Prometheus metrics (prom-client), served by app/api/metrics. One registry per process, kept on
 * globalThis because Next may load this module in more than one bundle (instrumentation, each
 * route); prom-client itself is loaded from node_modules (next.config.js, serverExternalPackages).
 *
 * The counters are bumped where the one code path for each rule runs (the comment service, the
 * credentials check, the rate-limit check, the job runner, the mail sender), so forms, the JSON
 * API and Auth.js's own endpoints are all counted.
 */
import fs from 'node:fs';
import client from 'prom-client';

function create() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    new client.Counter<L>({ name, help, labelNames, registers: [registry] });
  const metrics = {
    registry,
    requests: counter('http_requests_total', 'HTTP requests answered, by route pattern, method and status.', ['route', 'method', 'status']),
    duration: new client.Histogram<'route' | 'method'>({
      name: 'http_request_duration_seconds',
      help: 'Time from the request to the end of its answer, by route pattern and method.',
      labelNames: ['route', 'method'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    commentsPosted: counter('blog_comments_posted_total', 'Comments stored (shown or held for review).'),
    commentsHeld: counter('blog_comments_held_total', 'Comments stored but held for review (pre-moderation, links, words).'),
    reports: counter('blog_comment_reports_total', 'Reports readers made on comments (a repeat by the same reader is not counted).'),
    signIns: counter('blog_signins_total', 'Sign-in attempts by method and result (success, failure, refused by a limit).', ['method', 'result']),
    rateLimited: counter('blog_rate_limit_refusals_total', 'Attempts refused (or, for signin:email, slowed) by a rate limit, by limit.', ['limit']),
    mailSent: counter('blog_mail_sent_total', 'Messages the SMTP server accepted (or, without SMTP_URL, written as .eml files), by kind.', ['kind']),
    mailFailed: counter('blog_mail_failed_total', 'Messages given up on after MAIL_MAX_ATTEMPTS, by kind.', ['kind']),
    // From the outbox in SQLite: every process on the database reports the same number.
    mailWaiting: new client.Gauge({
      name: 'blog_mail_queued',
      help: 'Messages in the outbox not yet delivered (queued, waiting for a retry, or being sent).',
      registers: [registry],
      collect() {
        this.set(holder.__blogMailWaiting?.() ?? 0);
      },
    }),
    // From the job runs stored in SQLite: every process on the database reports the same totals.
    jobRuns: new client.Counter<'job' | 'outcome'>({
      name: 'blog_job_runs_total',
      help: 'Scheduled job runs by job and outcome (ok, failed), from all processes on this database.',
      labelNames: ['job', 'outcome'],
      registers: [registry],
      collect() {
        this.reset();
        for (const job of holder.__blogJobs?.() ?? []) {
          this.inc({ job: job.name, outcome: 'ok' }, job.totalRuns - job.totalFailures);
          this.inc({ job: job.name, outcome: 'failed' }, job.totalFailures);
        }
      },
    }),
    jobFailing: new client.Gauge<'job'>({
      name: 'blog_job_consecutive_failures',
      help: 'Failed runs of each job since its last success (0 when its last run succeeded).',
      labelNames: ['job'],
      registers: [registry],
      collect() {
        this.reset();
        for (const job of holder.__blogJobs?.() ?? []) this.set({ job: job.name }, job.consecutiveFailures);
      },
    }),
    databaseBytes: new client.Gauge({
      name: 'blog_database_size_bytes',
      help: 'Size of the SQLite database file and its write-ahead log.',
      registers: [registry],
      collect() {
        this.set(databaseSize());
      },
    }),
    backupAge: new client.Gauge({
      name: 'blog_last_backup_age_seconds',
      help: 'Seconds since the last successful scheduled backup finished; -1 when there has been none.',
      registers: [registry],
      collect() {
        const finished = holder.__blogJobs?.().find((job) => job.name === 'backup')?.lastSucceededAt;
        this.set(finished ? (Date.now() - finished.getTime()) / 1000 : -1);
      },
    }),
  };
  return metrics;
}

type Metrics = ReturnType<typeof create>;
const holder = globalThis as unknown as {
  __blogMetrics?: Metrics;
  __blogDatabaseFile?: () => string;
  __blogJobs?: () => JobFigures[];
  __blogMailWaiting?: () => number;
};

/** What the metrics read of each job (app/_lib/ops/jobs.ts, jobStatus). */
type JobFigures = { name: string; totalRuns: number; totalFailures: number; consecutiveFailures: number; lastSucceededAt: Date | null };

/** The process's metrics. */
export function metrics(): Metrics {
  holder.__blogMetrics ??= create();
  return holder.__blogMetrics;
}

/**
 * Where the gauges read from, set once at start (instrumentation.ts): this module stays free of
 * the database and the job runner, so any code path can count without importing them.
 */
export function measureFrom(sources: { databaseFile: () => string; jobs: () => JobFigures[]; mailWaiting?: () => number }): void {
  holder.__blogDatabaseFile = sources.databaseFile;
  holder.__blogJobs = sources.jobs;
  holder.__blogMailWaiting = sources.mailWaiting;
}

function databaseSize(): number {
  const file = holder.__blogDatabaseFile?.();
  if (!file) return 0;
  let bytes = 0;
  for (const part of [file, `${file}-wal`]) {
    try {
      bytes += fs.statSync(part).size;
    } catch {
      // No WAL file between checkpoints: nothing to add.
    }
  }
  return bytes;
}

/** The text Prometheus scrapes. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  const { registry } = metrics();
  return { contentType: registry.contentType, body: await registry.metrics() };
}
