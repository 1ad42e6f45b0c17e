/*
 * The notify and mail jobs do their work on one worker thread with its own SQLite connection.
 * In a busy hour they compose and write out hundreds of reply messages, seconds of CPU; on the
 * server's thread that time came in slices between requests, and readers' requests queued
 * behind each slice (`npm run bench -- --only notify` measured the paced p99 with and without
 * the jobs). On their own thread they use the other core, and a request waits for them only
 * where both write: SQLite's write lock, held for one short transaction at a time (WAL: reads
 * never wait).
 *
 * The runner (jobs.ts) still takes, records and schedules each job on the server's thread;
 * only the run itself goes over, one at a time, as the runner runs its jobs one after another.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SHARE_ENV, Worker, type WorkerOptions } from 'node:worker_threads';
import { leaveCheckpointsToAnotherConnection } from '@/db/index';
import type { MailRow } from '@/db/schema';
import { countMail, type MailOutcome } from '../mail/outbox';
import { processOwner } from './process-owner';

export type ThreadJob = 'notify' | 'mail';

export type ThreadRequest =
  | { type: 'run'; id: number; job: ThreadJob; now: number; owner: string }
  /** The server is stopping: the mail pass claims nothing more. */
  | { type: 'stop' }
  /** Close the connection and end the thread (after the run in progress). */
  | { type: 'close' };

export type ThreadReply = {
  id: number;
  /** Set when the run threw: its message. */
  error?: string;
  /** Messages the notify pass stored. */
  mailed?: number;
  /** Messages the mail pass delivered or gave up on, for this process's metrics. */
  counts?: [MailOutcome, MailRow['kind']][];
};

type JobThread = {
  worker: Worker;
  pending: Map<number, { resolve: (reply: ThreadReply) => void; reject: (error: Error) => void }>;
  nextId: number;
};

/** A thread that has not ended after this long when asked to is ended by force. */
const CLOSE_WAIT_MS = 10_000;

// On globalThis, like the runner: Next may load this module in more than one bundle.
const holder = globalThis as unknown as { __blogJobThread?: JobThread };

function startWorker(): Worker {
  // SHARE_ENV: the thread reads the settings the server's start prepared (AUTH_SECRET, AUTH_URL).
  const options: WorkerOptions = { env: SHARE_ENV };
  // Under Next (NEXT_RUNTIME is set) the bundler found this literal `new Worker(new URL(...))`
  // and built the entry as a chunk of its own. Run from source (the unit tests, under tsx), the
  // entry is TypeScript, and a new thread has none of tsx's hooks until it registers them.
  if (!process.env.NEXT_RUNTIME) {
    const entry = JSON.stringify(pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), 'job-worker.ts')).href);
    return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${entry}); })`, { ...options, eval: true });
  }
  return new Worker(new URL('./job-worker.ts', import.meta.url), options);
}

function jobThread(): JobThread {
  if (holder.__blogJobThread) return holder.__blogJobThread;
  const worker = startWorker();
  // Never what keeps the process alive; the graceful stop closes it (closeJobThread).
  worker.unref();
  const thread: JobThread = { worker, pending: new Map(), nextId: 1 };
  // A thread that crashed fails its run (the runner retries it later) and is started afresh.
  const fail = (error: Error) => {
    if (holder.__blogJobThread === thread) holder.__blogJobThread = undefined;
    for (const waiting of thread.pending.values()) waiting.reject(error);
    thread.pending.clear();
  };
  worker.on('message', (reply: ThreadReply) => {
    const waiting = thread.pending.get(reply.id);
    thread.pending.delete(reply.id);
    waiting?.resolve(reply);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the job thread ended (exit code ${code})`)));
  holder.__blogJobThread = thread;
  return thread;
}

/** Runs `job` on the job thread as of `now`; what it did, or its error thrown here. */
export async function runOnJobThread(job: ThreadJob, now: number): Promise<ThreadReply> {
  const thread = jobThread();
  const id = thread.nextId++;
  const reply = await new Promise<ThreadReply>((resolve, reject) => {
    thread.pending.set(id, { resolve, reject });
    thread.worker.postMessage({ type: 'run', id, job, now, owner: processOwner() } satisfies ThreadRequest);
  });
  // Counted even when the pass failed later on: those messages did go out.
  for (const [outcome, kind] of reply.counts ?? []) countMail(outcome, kind);
  if (reply.error !== undefined) throw new Error(reply.error);
  return reply;
}

/** The server is stopping: the run in progress claims no more mail. */
export function stopJobThread(): void {
  holder.__blogJobThread?.worker.postMessage({ type: 'stop' } satisfies ThreadRequest);
}

/** Ends the thread once its run in progress is done, its connection closed. */
export async function closeJobThread(): Promise<void> {
  const thread = holder.__blogJobThread;
  if (!thread) return;
  holder.__blogJobThread = undefined;
  const ended = new Promise<void>((resolve) => thread.worker.once('exit', () => resolve()));
  thread.worker.postMessage({ type: 'close' } satisfies ThreadRequest);
  const force = setTimeout(() => void thread.worker.terminate(), CLOSE_WAIT_MS);
  await ended;
  clearTimeout(force);
}

/**
 * Starts the thread now rather than at the first job's run, and leaves the WAL checkpoints to it
 * (db/index.ts says why): from here on no request of this process waits for one, unless the
 * thread stops checkpointing and the log grows far past its usual size. A thread that crashed
 * is started again by the next job's run, within the mail sender's interval.
 */
export function startJobThread(): void {
  jobThread();
  leaveCheckpointsToAnotherConnection();
}
