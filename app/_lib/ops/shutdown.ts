/*
 * The graceful stop, on SIGTERM (systemd, a container runtime) or SIGINT (Ctrl-C).
 *
 * `next start` has its own handler: it closes the server, waits without a limit for every
 * connection to end, and exits 143 or 130. It is replaced here (instrumentation.ts removes it),
 * because a stop must also be bounded, end keep-alive connections, let the job runner finish its
 * job, and leave SQLite checkpointed and closed, and because a clean stop should exit 0.
 *
 * In order: readiness turns 503 (a load balancer stops sending), the listening socket closes,
 * idle connections close and busy ones are told to close after their answer; requests in flight
 * and deferred cache refreshes get SHUTDOWN_TIMEOUT_SECONDS to finish; then the job runner stops
 * after its current job, the database is checkpointed and closed, and the process exits: 0 when
 * everything finished, 1 when a request had to be cut off.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { settings } from '../config.mjs';
import { deferredRunsPending } from '../comments/coalesce';
import { logger } from './logger';
import { closeConnectionsAfterAnswer, inFlightCount, isStopping, knownServers } from './requests';

const BACKLOG_DRAIN_MS = 200;

type StopHooks = {
  /** Resolves when the job runner has finished its current job and will start no other. */
  stopJobs: () => Promise<void>;
  /** Checkpoints and closes the database. */
  closeDatabase: () => void;
};

const holder = globalThis as unknown as { __blogStopInstalled?: boolean };

async function stop(signal: NodeJS.Signals, hooks: StopHooks): Promise<never> {
  const log = logger();
  const timeoutMs = settings().SHUTDOWN_TIMEOUT_SECONDS * 1000;
  log.info({ signal, inFlight: inFlightCount(), timeoutMs }, 'stopping: no new connections; finishing requests in flight');
  // Connections the kernel completed before the signal wait in the listen backlog until Node
  // accepts them, one per turn of the event loop; closing the socket now would reset them, though
  // their clients had already sent their requests. A moment to take them in first.
  await sleep(BACKLOG_DRAIN_MS);
  const servers = knownServers();
  for (const server of servers) {
    server.close();
    server.closeIdleConnections();
  }
  const jobs = hooks.stopJobs().catch((error: unknown) => log.error({ err: error }, 'stopping the job runner failed'));

  const deadline = Date.now() + timeoutMs;
  while ((inFlightCount() > 0 || deferredRunsPending() > 0) && Date.now() < deadline) await sleep(25);
  const cut = inFlightCount();
  if (cut > 0) {
    log.warn({ requests: cut }, 'stopping: requests still running after SHUTDOWN_TIMEOUT_SECONDS; closing their connections');
    for (const server of servers) server.closeAllConnections();
  }
  await jobs;
  try {
    hooks.closeDatabase();
  } catch (error) {
    log.error({ err: error }, 'closing the database failed');
  }
  log.info({ signal, cut }, 'stopped');
  await new Promise<void>((resolve) => logger().flush(() => resolve()));
  process.exit(cut > 0 ? 1 : 0);
}

/** Installs the stop on SIGTERM and SIGINT in place of `next start`'s own (once per process). */
export function installGracefulStop(hooks: StopHooks): void {
  if (holder.__blogStopInstalled) return;
  holder.__blogStopInstalled = true;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (isStopping()) return;
      closeConnectionsAfterAnswer();
      void stop(signal, hooks);
    });
  }
}
