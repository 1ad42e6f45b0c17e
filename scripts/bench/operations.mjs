/*
 * The operations scenario (issue 14): what the request log and the metrics cost the cached page,
 * and how cheap liveness and readiness are.
 *
 * A second `next start` on the same build and database runs with the request observer off
 * (REQUEST_LOG=0: no request log lines, no HTTP metrics) beside the main one (LOG_LEVEL=info,
 * a JSON line per request, as shipped). The signed-out 1,000-comment page is measured on each in
 * turn, three rounds, the order swapped each round (on, off; off, on; on, off), so drift in the
 * machine's speed falls on both sides alike; the goal is judged on the median round's ratio.
 */
import { GOALS, ORIGIN } from './config.mjs';
import { comparisonCells, fmtRps, formatTable } from './format.mjs';
import { measure, probe, rate } from './measure.mjs';
import { startServer } from './processes.mjs';
import { freePort, stopServer, waitUntilReady } from '../lib/next-process.mjs';
import { HOST, READY_TIMEOUT_MS, STOP_GRACE_MS } from './config.mjs';

const CONNECTIONS = 10;
const ROUNDS = 3;

export async function runOperations(origin, bind, seconds, notes) {
  const port = await freePort(HOST);
  const quiet = startServer(port, bind, { LOG_LEVEL: 'warn', REQUEST_LOG: '0' });
  try {
    await waitUntilReady(quiet, `${quiet.origin}/`, READY_TIMEOUT_MS);
    await probe(quiet.origin, ORIGIN.url);
    const on = [];
    const off = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const onFirst = round % 2 === 1;
      console.log(`  operations: cached page with the request log ${onFirst ? 'on, then off' : 'off, then on'} (round ${round} of ${ROUNDS}) ...`);
      if (onFirst) on.push(await measure(origin, ORIGIN.url, CONNECTIONS, seconds));
      off.push(await measure(quiet.origin, ORIGIN.url, CONNECTIONS, seconds));
      if (!onFirst) on.push(await measure(origin, ORIGIN.url, CONNECTIONS, seconds));
    }
    const total = (runs) => ({
      requestsPerSec: runs.reduce((sum, r) => sum + r.requestsPerSec, 0) / runs.length,
      p50Ms: runs.reduce((sum, r) => sum + r.p50Ms, 0) / runs.length,
      p99Ms: runs.reduce((sum, r) => sum + r.p99Ms, 0) / runs.length,
    });
    const logged = total(on);
    const silent = total(off);
    console.log('  operations: /api/health and /api/ready ...');
    const health = await measure(origin, '/api/health', CONNECTIONS, seconds);
    const ready = await measure(origin, '/api/ready', CONNECTIONS, seconds);
    for (const [name, figures] of [['health', health], ['ready', ready]]) {
      if (figures.non2xx) notes.push(`operations: /api/${name} answered ${figures.non2xx} non-2xx under load`);
    }
    const ratios = on.map((r, i) => rate(r.requestsPerSec, off[i].requestsPerSec)).sort((a, b) => a - b);
    const ratio = ratios[Math.floor(ratios.length / 2)];
    return { connections: CONNECTIONS, rounds: ROUNDS, on, off, logged, silent, ratio, health, ready };
  } finally {
    await stopServer(quiet, STOP_GRACE_MS);
  }
}

export function reportOperations(results) {
  const o = results.operations;
  if (!o) return [];
  return [
    '',
    `Operations: the signed-out page with the request log and metrics on (LOG_LEVEL=info, as shipped) and off ` +
      `(a second server, REQUEST_LOG=0), ${o.rounds} rounds @${o.connections}, the order swapped each round; ratio of the median round`,
    formatTable(
      ['', 'on req/s', 'off req/s', 'ratio', 'on p50', 'on p99', 'off p50', 'off p99'],
      [['average', ...comparisonCells(o.logged, o.silent, rate(o.logged.requestsPerSec, o.silent.requestsPerSec))], ...o.on.map((r, i) => [`round ${i + 1}`, ...comparisonCells(r, o.off[i], rate(r.requestsPerSec, o.off[i].requestsPerSec))])],
    ),
    `ratio = on / off requests per second; the median round's is judged: ${o.ratio.toFixed(2)} (goal >= ${GOALS.loggingRatio.toFixed(2)})`,
    `/api/health ${fmtRps(o.health.requestsPerSec)} req/s, /api/ready ${fmtRps(o.ready.requestsPerSec)} req/s @${o.connections} (goal >= ${fmtRps(GOALS.healthPerSec)})`,
  ];
}

export function summarizeOperations(o, row) {
  if (!o) return;
  const atLeast = (n, goal) => (n === null ? null : n >= goal);
  row(`request log on/off @${o.connections} (median round)`, `${fmtRps(o.logged.requestsPerSec)} req/s`, `${fmtRps(o.silent.requestsPerSec)} req/s`, o.ratio, `>= ${GOALS.loggingRatio.toFixed(2)}`, atLeast(o.ratio, GOALS.loggingRatio));
  for (const name of ['health', 'ready']) {
    const rps = o[name].requestsPerSec;
    row(`/api/${name} req/s @${o.connections}`, `${fmtRps(rps)} req/s`, '-', null, `>= ${fmtRps(GOALS.healthPerSec)}`, rps >= GOALS.healthPerSec);
  }
}
