import type { Instrumentation } from 'next';

/**
 * Runs once when the server starts: check the settings, open the database, apply migrations,
 * load the content files, and make sure Auth.js has a secret, so a fresh clone runs without a
 * setup step or .env. Then the operations side: the JSON request log, the metrics, the job
 * runner (with the mail sender) and the graceful stop (app/_lib/ops/).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // Every setting (app/_lib/config.mjs) is checked here: each bad one is a line, and the server exits.
  const { ConfigError, parseSettings } = await import('./app/_lib/config.mjs');
  try {
    parseSettings(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(`[config] ${problem}`);
    process.exit(1);
  }
  const { prepareDatabase } = await import('./db/prepare');
  prepareDatabase();
  // Readiness compares the database with the migrations this build shipped: read that list now,
  // before a deploy can replace the folder under the running process.
  const { databaseProblems } = await import('./db/health');
  for (const problem of databaseProblems()) console.warn(`[db] not ready: ${problem}`);
  const { prepareAuthSecret } = await import('./app/_lib/auth/secret');
  prepareAuthSecret();

  const { logger, routeConsoleToLogger } = await import('./app/_lib/ops/logger');
  const { observeRequests } = await import('./app/_lib/ops/requests');
  const { measureFrom } = await import('./app/_lib/ops/metrics');
  const { jobStatus, startJobRunner, stopJobRunner } = await import('./app/_lib/ops/jobs');
  const { startJobThread } = await import('./app/_lib/ops/job-thread');
  const { installGracefulStop } = await import('./app/_lib/ops/shutdown');
  const { checkpointAndClose, databasePath } = await import('./db/index');
  const { waitingMailCount } = await import('./db/queries/mail');
  const { logMailTransport } = await import('./app/_lib/mail/transport');
  routeConsoleToLogger();
  const { answerProbesFirst } = await import('./app/_lib/ops/probes');
  observeRequests({ onServer: answerProbesFirst });
  measureFrom({ databaseFile: databasePath, jobs: jobStatus, mailWaiting: () => waitingMailCount() });
  // Where mail goes, once: the SMTP server, or data/mail/ as .eml files when SMTP_URL is unset.
  logMailTransport();
  startJobRunner();
  // The notify and mail passes run there, and so do the WAL checkpoints, off the requests' way.
  startJobThread();
  installGracefulStop({ stopJobs: stopJobRunner, closeDatabase: checkpointAndClose });
  logger().info('started');
}

/**
 * A render, action or route handler that threw: one log line with its stack and the request's
 * id (the same id is on the response and on the request's own log line).
 */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { logger } = await import('./app/_lib/ops/logger');
  const id = request.headers['x-request-id'];
  logger().error(
    { err: error, reqId: Array.isArray(id) ? id[0] : id, method: request.method, path: request.path.split('?')[0], route: context.routePath, kind: context.routeType },
    'request failed',
  );
};
