/*
 * The job thread's side (app/_lib/ops/job-thread.ts says why it exists): runs the notify and
 * mail passes it is asked for, on its own connection to the server's database, one at a time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { CHECKPOINT_EVERY_MS, checkpointPassively, closeDb, getDb } from '@/db/index';
import { settings } from '../config.mjs';
import { sendDueMail } from '../mail/outbox';
import { mailTransport } from '../mail/transport';
import { runNotifyPass } from '../notify/notify';
import type { ThreadReply, ThreadRequest } from './job-thread';

const port = parentPort;
if (!port) throw new Error('job-worker.ts runs as the job thread (job-thread.ts starts it)');

/**
 * How much lower than the server's the thread's CPU priority is (niceness, 0 to 19): on a machine
 * busy with requests they go first, and mail waits a moment longer. Not so low that a thread
 * holding SQLite's write lock waits long for the CPU while a request waits for the lock.
 */
const NICER_BY = 10;

/**
 * Linux keeps a niceness per thread: this thread's id is the last part of /proc/thread-self.
 * Elsewhere (or without /proc) the thread keeps the process's priority.
 */
function lowerPriority(): void {
  try {
    const tid = Number(path.basename(fs.readlinkSync('/proc/thread-self')));
    os.setPriority(tid, Math.min(19, os.getPriority(tid) + NICER_BY));
  } catch {
    // Not Linux, or not allowed: run at the process's priority.
  }
}
lowerPriority();

/*
 * The process's WAL checkpoints (db/index.ts): on this thread's connection, between runs or
 * between a run's transactions, never inside one (each is synchronous). One that cannot copy
 * everything (a reader still on an old snapshot) copies the rest next time.
 */
const checkpoints = setInterval(() => {
  try {
    checkpointPassively(getDb());
  } catch {
    // Busy or closing: the next tick tries again, and the server's connection is the last resort.
  }
}, CHECKPOINT_EVERY_MS);

let stopping = false;
let usedTransport = false;
/** The run in progress; a close waits for it. */
let running: Promise<void> = Promise.resolve();

async function run({ id, job, now, owner }: Extract<ThreadRequest, { type: 'run' }>): Promise<ThreadReply> {
  const reply: ThreadReply = { id, counts: [] };
  try {
    if (job === 'notify') {
      reply.mailed = (await runNotifyPass(getDb(), now)).mailed;
    } else {
      // The runner's clock (tests set it), moving on in real time through the pass.
      const started = Date.now();
      usedTransport = true;
      await sendDueMail({
        db: getDb(),
        transport: mailTransport(),
        maxAttempts: settings().MAIL_MAX_ATTEMPTS,
        now: () => now + (Date.now() - started),
        owner,
        stopping: () => stopping,
        count: (outcome, kind) => reply.counts!.push([outcome, kind]),
      });
    }
  } catch (error) {
    reply.error = error instanceof Error ? error.message : String(error);
  }
  return reply;
}

port.on('message', (message: ThreadRequest) => {
  if (message.type === 'stop') {
    stopping = true;
  } else if (message.type === 'run') {
    running = running.then(() => run(message)).then((reply) => port.postMessage(reply));
  } else {
    void running.then(() => {
      clearInterval(checkpoints);
      if (usedTransport) mailTransport().close();
      closeDb();
      port.close();
    });
  }
});
