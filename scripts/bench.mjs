#!/usr/bin/env node
/**
 * npm run bench [-- --no-build] [-- --no-edge] [-- --only <scenario>[,<scenario>...]]
 *
 * One command that measures the blog against the goals of its issue, each figure beside its
 * baseline in the same run:
 *   1. writes a fresh database in .bench/bench.db: migrated and seeded by the project's own seed
 *      (scripts/db-seed.ts), then 1,000 bench users and two copies of the article, with 1,000 and
 *      100,000 generated comments, written straight into SQLite,
 *   2. builds the app into .bench/next (never touching the developer's .next) with BENCH_BASELINE=1:
 *      /bench/baseline is prerendered at build time from the 1,000-comment article in that
 *      database, so the baseline is a static page of the measured page's size (see
 *      app/bench/baseline/page.tsx); that is why the database comes before the build,
 *   3. starts `next start` on a free loopback port on that database, and samples the resident
 *      memory of its process tree every 200 ms until it stops,
 *   4. origin: the signed-out 1,000-comment article (Next's full-route cache) against
 *      /bench/baseline, served by the same server: requests/s, p50 and p99 at 10 and 50
 *      connections (goal: at least 0.8 of the baseline),
 *   4b. cards: the same article's social card (/articles/[slug]/card.png, drawn on first request,
 *      then from Next's cache) against /bench/card-baseline, the same card drawn at build time:
 *      req/s and p99 at 10 and 50 connections (goal: at least 0.8 of the baseline),
 *   5. signed-in: the same 1,000-comment page for signed-in readers (20 session cookies in turn,
 *      scripts/bench-read.lua) against the signed-out page, back to back at 10 and 50 connections:
 *      req/s (goal: at least 0.5 of signed-out), p99 at 50 (at most 2x), no socket errors and no
 *      request slower than 2 s, gzip bytes (at most 1.3x); the signed-in page must name its reader
 *      and carry Cache-Control private or no-store,
 *   6. scale: the 100,000-comment copy against the 1,000-comment one, with a session cookie
 *      (today that sends them to the signed-in page, rendered per request; if it stops being
 *      rendered per request, the notes say so and it is measured anyway), at 10 and 50
 *      connections (goal: at most 1.2 times slower),
 *   7. the edge: nginx with deploy/nginx.conf (rendered into a temporary folder its workers can
 *      read, kept in .bench/nginx) in front of the same server, the 1,000-comment page against
 *      the same nginx serving its bytes from a file (goal: at least 0.8); then how long a new
 *      comment takes to show through it (goal: 2 s), also after a request whose session cookie
 *      has a space before "=", and whether signed-in and RSC requests skip its cache,
 *   8. writes: 50 signed-in writers (wrk -c50 + scripts/bench-writes.lua) post comments through
 *      the JSON API; comments stored per second counted in SQLite, p50/p99, errors (goal: at least
 *      200/s, p99 under 500 ms, no errors),
 *   9. operations: the cached page with the request log and metrics on and off (a second server),
 *      side by side (goal: at least 0.95), and /api/health and /api/ready req/s (goal: 2,000),
 *   9b. notify: writers (all verified, all subscribed) replying to each other on two more servers,
 *      notifications on and off, each on its own copy of the database (goal: stored/s and the paced
 *      p99 within 10%),
 *   9c. search: /search?q= with 20 queries in turn at 10 connections on the 100,000-comment database,
 *      straight to the server, no shared cache (goal: p95 under 50 ms); and comment writes on two more
 *      servers, with the search index and with its triggers dropped, each on its own copy of the
 *      database (goal: the index costs at most 15% of stored/s),
 *  10. stops everything it started, prints the figures and a summary of every goal (figure,
 *      baseline, ratio, pass/miss), and writes the same to .bench/latest.json.
 *
 * It exits non-zero only when something failed to run (database, build, server start, a non-2xx
 * answer while reading, a refused or failed write) or an edge check failed (a new comment not
 * shown through the edge within 10 s, or within 2 s after the spaced cookie, a signed-in or RSC
 * request answered from the cache), never because a figure misses its goal. --no-edge skips the
 * edge (for a machine without nginx); --only runs just the scenarios named (origin, cards,
 * signed-in, scale, writes, operations, notify, search, edge), for quicker checks: the database and the build are still made first.
 * --no-build reuses .bench/next, whose baseline was prerendered from an earlier run's database
 * (the same generated comments, so the same size; the printed sizes show it).
 *
 * Environment: BENCH_DURATION=<seconds per measured wrk run> (default 10).
 *
 * The parts live in scripts/bench/: config (what is measured, the goals), one module per scenario
 * (origin, signed-in, scale, writes, paced-writes, edge with nginx and edge-checks, memory), the
 * shared measurement (measure: requests and wrk), data (the generated database), processes and
 * build, and the report with its summary.
 */
import fs from 'node:fs';
import os from 'node:os';
import { freePort, stopOnSignals, stopServer, waitUntilReady } from './lib/next-process.mjs';
import { build, firstLoadJs } from './bench/build.mjs';
import { runCards } from './bench/cards.mjs';
import { BENCH_DIR, BenchError, CONNECTIONS, DB_PATH, DIST_DIR, EDGE, HOST, ORIGIN, PHASES, READY_TIMEOUT_MS, STOP_GRACE_MS, WARMUP_SECONDS, WRK_THREADS } from './bench/config.mjs';
import { prepareDatabase } from './bench/data.mjs';
import { runOperations } from './bench/operations.mjs';
import { runNotify } from './bench/notify.mjs';
import { edgeFailures, runEdge } from './bench/edge.mjs';
import { errorSummary } from './bench/measure.mjs';
import { memoryReport, sampleMemory, serverMemory } from './bench/memory.mjs';
import { findNginx } from './bench/nginx.mjs';
import { runOrigin } from './bench/origin.mjs';
import { runPacedWrites } from './bench/paced-writes.mjs';
import { bindName, cleanups, findExecutable, running, serverErrorLines, startServer } from './bench/processes.mjs';
import { measuredRuns, report, summarize, writeResults } from './bench/report.mjs';
import { runScale } from './bench/scale.mjs';
import { runSearch } from './bench/search.mjs';
import { runSignedIn } from './bench/signed-in.mjs';
import { runWrites } from './bench/writes.mjs';

function durationSeconds() {
  const raw = process.env.BENCH_DURATION ?? '10';
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1) throw new BenchError(`BENCH_DURATION must be a whole number of seconds, got "${raw}"`);
  return seconds;
}

/** The scenarios named by --only (comma-separated or repeated): none when it is not given. */
function onlyPhases(argv) {
  const named = argv.flatMap((arg, i) => (argv[i - 1] === '--only' ? arg.split(',') : arg.startsWith('--only=') ? arg.slice(7).split(',') : []));
  if (argv.at(-1) === '--only') throw new BenchError(`--only needs one or more of ${PHASES.join(', ')}`);
  const unknown = named.filter((name) => !PHASES.includes(name));
  if (unknown.length) throw new BenchError(`unknown scenario ${unknown.join(', ')} for --only; known: ${PHASES.join(', ')}`);
  return named;
}

async function main() {
  if (!findExecutable('wrk')) {
    console.error('wrk is not installed; install it with: apt-get install -y wrk');
    return 1;
  }
  const skipBuild = process.argv.includes('--no-build');
  const noEdge = process.argv.includes('--no-edge');
  const only = onlyPhases(process.argv.slice(2));
  const chosen = new Set(only.length ? only : PHASES);
  if (noEdge) chosen.delete('edge');
  if (chosen.has('edge') && !findNginx()) {
    console.error('nginx is not installed; install it with: apt-get install -y nginx (or pass --no-edge to skip the edge)');
    return 1;
  }
  const seconds = durationSeconds();
  stopOnSignals('everything the bench started', async () => {
    for (const cleanup of cleanups) await cleanup();
    for (const child of running) child.kill('SIGKILL');
  });

  const results = {
    startedAt: new Date().toISOString(),
    durationSeconds: seconds,
    warmupSeconds: WARMUP_SECONDS,
    connections: CONNECTIONS,
    wrkThreads: WRK_THREADS,
    machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}` },
    notes: [],
  };
  fs.mkdirSync(BENCH_DIR, { recursive: true });

  // The database first: the build prerenders the baseline from it.
  console.log(`Writing a fresh database in ${DB_PATH} (seed, bench users and comments) ...`);
  const bench = await prepareDatabase();
  results.benchData = { users: bench.users.length, seconds: bench.seconds, articles: bench.articles };
  results.build = { distDir: DIST_DIR, seconds: await build(skipBuild, results.notes) };
  if (results.build.seconds === null) {
    results.notes.push(`--no-build: ${ORIGIN.baselineUrl} was prerendered from an earlier run's database (the same generated comments)`);
  }
  if (only.length) results.notes.push(`--only: measured ${[...chosen].join(', ')}; skipped ${PHASES.filter((name) => !chosen.has(name)).join(', ') || 'nothing'}`);

  const port = await freePort(HOST);
  const bind = await bindName(results.notes);
  const server = startServer(port, bind);
  const memory = sampleMemory(server);
  const stop = () => stopServer(server, STOP_GRACE_MS);
  cleanups.add(stop);
  console.log(`Server pid ${server.pid} on ${server.origin} (-H ${bind}), database ${DB_PATH}`);
  try {
    await waitUntilReady(server, `${server.origin}/`, READY_TIMEOUT_MS, BenchError);
    if (chosen.has('origin')) {
      memory.mark('origin');
      results.origin = await runOrigin(server.origin, seconds, results.notes);
    }
    if (chosen.has('cards')) {
      memory.mark('cards');
      results.cards = await runCards(server.origin, seconds, results.notes);
    }
    if (chosen.has('signed-in')) {
      memory.mark('signed-in');
      results.signedIn = await runSignedIn(server.origin, bench, seconds, results.notes);
    }
    if (chosen.has('scale')) {
      memory.mark('scale');
      results.scale = await runScale(server.origin, bench, seconds, results.notes);
    }
    if (chosen.has('writes')) {
      memory.mark('writes');
      results.writes = await runWrites(server.origin, bench, seconds);
      results.pacedWrites = await runPacedWrites(server.origin, bench, seconds);
    }
    if (chosen.has('operations')) {
      memory.mark('operations');
      results.operations = await runOperations(server.origin, bind, seconds, results.notes);
    }
    if (chosen.has('notify')) {
      memory.mark('notify');
      results.notify = await runNotify(bind, bench, seconds, results.notes);
    }
    if (chosen.has('search')) {
      memory.mark('search');
      results.search = await runSearch(server.origin, bind, bench, seconds);
    }
    if (chosen.has('edge')) {
      memory.mark('edge');
      results.edge = await runEdge(server.origin, bench, seconds, results.notes);
    } else {
      results.edgeSkipped = noEdge ? '--no-edge' : '--only';
      if (noEdge) results.notes.push('edge skipped (--no-edge)');
    }
    // Before the server stops: VmHWM then covers every scenario.
    results.server = { origin: server.origin, bind, pid: server.pid, errorLines: serverErrorLines(server) };
    if (results.server.errorLines.length) {
      results.notes.push(
        `server output: ${results.server.errorLines.length} error line(s) (requests wrk abandoned at the end of a run show as ` +
          `"socket hang up"); first: ${results.server.errorLines[0]}`,
      );
    }
    results.memory = memoryReport(memory.stop(), serverMemory(server));
  } catch (error) {
    console.error(`\nServer output:\n${server.output() || '(none)'}\n`);
    throw error;
  } finally {
    memory.stop();
    cleanups.delete(stop);
    await stop();
  }

  results.firstLoadJs = firstLoadJs();
  results.summary = summarize(results);
  results.finishedAt = new Date().toISOString();
  console.log(report(results));
  console.log(`\nWrote ${writeResults(results)} and .bench/latest.json`);

  // Load the figures are taken under must have answered 2xx; anything else makes them meaningless.
  const runs = measuredRuns(results);
  let code = 0;
  if (runs.some((r) => !r.write && r.figures.non2xx)) {
    console.error('\nSome page requests under load did not answer 2xx/3xx (see "Errors during load" and the notes): the figures above are not valid.');
    code = 1;
  }
  const writeErrors = runs.filter((r) => r.write && errorSummary(r.figures));
  if (writeErrors.length) {
    console.error(`\nSome writes failed (${writeErrors.map((r) => errorSummary(r.figures)).join('; ')}).`);
    if (results.writes.firstError) console.error(`First error: ${results.writes.firstError}`);
    code = 1;
  }
  const edge = edgeFailures(results);
  if (edge.length) {
    console.error(`\nEDGE CHECKS FAILED (${EDGE.template}):\n${edge.map((f) => `  ${f}`).join('\n')}`);
    code = 1;
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof BenchError ? `bench: ${error.message}` : error);
    process.exit(1);
  },
);
