/* The writes scenario, paced: the same writers together at the goal's rate, each on its own connection. */
import http from 'node:http';
import { GOALS, WARMUP_SECONDS, WRITE_SCENARIO } from './config.mjs';
import { countStatuses, fmtMs, fmtRps, fmtS, formatTable, int } from './format.mjs';
import { postJson } from './measure.mjs';
import { sessionCookie } from './sessions.mjs';
import { settledCommentCount } from './writes.mjs';

/**
 * Each writer posts every writers / GOALS.writesPerSec seconds (together the goal's rate), on its
 * own keep-alive connection, from a random start. wrk's closed loop (writes.mjs) keeps every
 * writer busy all the time, so it measures how many writes the server can take, and its latencies
 * are mostly time spent queued behind the other 49 (a trivial POST that Next refuses at once shows
 * the same tail there). This measures the latency a writer sees at the goal's rate. Latency is
 * counted from when a post was due, not when it was sent, so a writer held up by a slow answer
 * still counts the wait.
 */
export async function runPacedWrites(origin, bench, seconds) {
  const scenario = WRITE_SCENARIO;
  const writers = bench.users.slice(0, scenario.writers);
  const cookies = await Promise.all(writers.map(sessionCookie));
  const intervalMs = (scenario.writers / GOALS.writesPerSec) * 1000;
  const latencies = [];
  const statuses = {};
  let errors = 0;
  let firstError = null;

  const post = async (agent, cookie, n) => {
    try {
      const answer = await postJson(origin + scenario.url, { body: `Paced bench comment ${n}: Redmi Note 4 shipments in India.` }, { cookie }, agent);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      if (answer.status >= 300 && !firstError) firstError = `${answer.status} ${answer.body.slice(0, 300)}`;
    } catch (error) {
      errors += 1;
      firstError ??= String(error);
    }
  };

  const writer = async (cookie, index, until, record) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let due = performance.now() + Math.random() * intervalMs;
    for (let n = 0; due < until; n += 1, due += intervalMs) {
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      await post(agent, cookie, `${index}.${n}`);
      if (record) latencies.push(performance.now() - due);
    }
    agent.destroy();
  };
  const run = (ms, record) => {
    const until = performance.now() + ms;
    return Promise.all(cookies.map((cookie, index) => writer(cookie, index, until, record)));
  };

  console.log(`  ${scenario.name}: ${scenario.writers} writers paced at ${GOALS.writesPerSec}/s ...`);
  await run(WARMUP_SECONDS * 1000, false);
  for (const key of Object.keys(statuses)) delete statuses[key];
  const before = await settledCommentCount(scenario.slug);
  const started = performance.now();
  await run(seconds * 1000, true);
  const elapsed = (performance.now() - started) / 1000;
  const stored = (await settledCommentCount(scenario.slug)) - before;
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    writers: scenario.writers,
    targetPerSec: GOALS.writesPerSec,
    requests: latencies.length,
    stored,
    storedPerSec: stored / elapsed,
    seconds: elapsed,
    p50Ms: at(0.5),
    p90Ms: at(0.9),
    p99Ms: at(0.99),
    maxMs: latencies.at(-1) ?? NaN,
    statuses,
    errors,
    firstError,
  };
}

/** Answers of the paced run that were not stored comments: non-2xx statuses and socket errors. */
export const pacedFailures = (w) => w.errors + countStatuses(w.statuses, (status) => status >= 300);

export function reportPacedWrites(results) {
  const w = results.pacedWrites;
  if (!w) return [];
  return [
    '',
    `Paced writes: the same ${w.writers} writers, each on its own keep-alive connection, posting every ${fmtMs((w.writers / w.targetPerSec) * 1000)} ` +
      `(together ${w.targetPerSec}/s), ${fmtS(w.seconds * 1000)} after a ${WARMUP_SECONDS} s warm-up; latency from when each post was due`,
    '',
    formatTable(
      ['writers', 'target/s', 'posts', 'stored', 'stored/s', 'p50', 'p90', 'p99', 'max', 'non-2xx', 'socket errors'],
      [[String(w.writers), String(w.targetPerSec), int.format(w.requests), int.format(w.stored), fmtRps(w.storedPerSec), fmtMs(w.p50Ms), fmtMs(w.p90Ms), fmtMs(w.p99Ms), fmtMs(w.maxMs), int.format(countStatuses(w.statuses, (status) => status >= 300)), int.format(w.errors)]],
    ),
    ...(w.firstError ? [`First error: ${w.firstError}`] : []),
  ];
}
