/*
 * The writes scenario, flat out: signed-in writers posting comments through the JSON API in wrk's
 * closed loop, the comments stored counted in SQLite.
 */
import { BenchError, SESSION_COOKIE, WARMUP_SECONDS, WRITE_SCENARIO } from './config.mjs';
import { countComments } from './data.mjs';
import { countStatuses, fmtMs, fmtRps, formatTable, int } from './format.mjs';
import { postJson, socketErrorCount, wrk } from './measure.mjs';
import { sleep } from '../lib/next-process.mjs';
import { sessionTokens } from './sessions.mjs';

const WRITE_SETTLE_MS = 250;
const WRITE_SETTLE_MAX_MS = 10_000;
const FIRST_WRITE_TIMEOUT_MS = 120_000;

/**
 * The article's comment rows once the writes still in flight when the load stopped have landed:
 * counted until two readings WRITE_SETTLE_MS apart agree.
 */
export async function settledCommentCount(slug) {
  let count = countComments(slug);
  for (let waited = 0; waited < WRITE_SETTLE_MAX_MS; waited += WRITE_SETTLE_MS) {
    await sleep(WRITE_SETTLE_MS);
    const now = countComments(slug);
    if (now === count) break;
    count = now;
  }
  return count;
}

/** "201=1200,500=3" (printed by the Lua script) as { 201: 1200, 500: 3 }. */
function parseStatuses(text = '') {
  return Object.fromEntries(
    text
      .split(',')
      .filter(Boolean)
      .map((pair) => pair.split('=').map(Number)),
  );
}

export async function runWrites(origin, bench, seconds) {
  const scenario = WRITE_SCENARIO;
  const writers = bench.users.slice(0, scenario.writers);
  const tokens = await sessionTokens(writers);

  // One write before the load, so a refused one is reported with its answer rather than as a count.
  // It also waits for the pages wrk abandoned at the end of the previous scenario, which the server
  // still renders: on a busy machine that took longer than the usual 10 s.
  const first = await postJson(
    origin + scenario.url,
    { body: 'Bench: the first comment, posted before the load.' },
    { cookie: `${SESSION_COOKIE}=${tokens[0]}` },
    false,
    FIRST_WRITE_TIMEOUT_MS,
  );
  if (first.status !== 201) throw new BenchError(`POST ${scenario.url} as a bench writer answered ${first.status}: ${first.body.slice(0, 600)}`);

  const options = { threads: scenario.threads, script: scenario.script, env: { BENCH_SESSION_TOKENS: tokens.join(',') } };
  console.log(`  ${scenario.name}: ${scenario.writers} writers ...`);
  await wrk(origin + scenario.url, scenario.writers, WARMUP_SECONDS, options);
  const before = await settledCommentCount(scenario.slug);
  const figures = await wrk(origin + scenario.url, scenario.writers, seconds, options);
  const stored = (await settledCommentCount(scenario.slug)) - before;
  const { script = {}, ...load } = figures;

  // The floor, in the same run and the same way: what a POST costs before any comment work.
  console.log(`  POST floor (${scenario.floorUrl}): ${scenario.writers} writers ...`);
  await wrk(origin + scenario.floorUrl, scenario.writers, WARMUP_SECONDS, options);
  const { script: floorScript = {}, ...floorLoad } = await wrk(origin + scenario.floorUrl, scenario.writers, seconds, options);
  const floorStatuses = parseStatuses(floorScript.statuses);
  const floorPerSec = (floorStatuses[201] ?? 0) / floorLoad.seconds;
  return {
    ...scenario,
    users: writers.length,
    stored,
    storedPerSec: stored / figures.seconds,
    statuses: parseStatuses(script.statuses),
    firstError: script['first-error'] ?? null,
    load,
    floor: { perSec: floorPerSec, statuses: floorStatuses, load: floorLoad, firstError: floorScript['first-error'] ?? null },
    floorRatio: floorPerSec > 0 ? stored / figures.seconds / floorPerSec : null,
  };
}

export function reportWrites(results) {
  const w = results.writes;
  if (!w) return [];
  const f = w.load;
  const floor = w.floor.load;
  const out = [
    '',
    `Writes: ${w.writers} concurrent signed-in writers (${w.users} users, rotated per request) POST ${w.url}, ` +
      `wrk -t${w.threads} -c${w.writers}, ${results.durationSeconds} s after a ${WARMUP_SECONDS} s warm-up; ` +
      'flood limits off on the bench server (COMMENT_RATE_LIMIT_DISABLED=1)',
    '',
    formatTable(
      ['scenario', 'writers', 'stored', 'stored/s', 'req/s', 'p50', 'p99', '2xx', 'non-2xx', 'socket errors'],
      [
        [
          w.name,
          String(w.writers),
          int.format(w.stored),
          fmtRps(w.storedPerSec),
          fmtRps(f.requestsPerSec),
          fmtMs(f.p50Ms),
          fmtMs(f.p99Ms),
          int.format(countStatuses(w.statuses, (status) => status < 300)),
          int.format(f.non2xx),
          int.format(socketErrorCount(f)),
        ],
        [
          'POST floor (nothing stored)',
          String(w.writers),
          '-',
          `${fmtRps(w.floor.perSec)} x 201`,
          fmtRps(floor.requestsPerSec),
          fmtMs(floor.p50Ms),
          fmtMs(floor.p99Ms),
          int.format(countStatuses(w.floor.statuses, (status) => status < 300)),
          int.format(floor.non2xx),
          int.format(socketErrorCount(floor)),
        ],
      ],
    ),
    `POST floor: ${w.floorUrl} reads the JSON body and the session as the comment route does, then answers 201 without writing`,
    `Statuses: ${Object.entries(w.statuses).map(([status, n]) => `${status} x ${int.format(n)}`).join(', ') || 'none recorded'}`,
    `stored/s = comments added to the article during the run (including writes still in flight when wrk stopped) / wrk's ${f.seconds.toFixed(2)} s`,
  ];
  if (w.firstError) out.push(`First error: ${w.firstError}`);
  if (w.floor.firstError) out.push(`First error at the floor: ${w.floor.firstError}`);
  return out;
}
