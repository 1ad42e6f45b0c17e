/*
 * The run's report: each scenario's section, the errors under load, build figures and notes, and
 * the summary that judges every figure against the issue's goals; also written as JSON.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, DB_PATH, DIST_DIR, GOALS, MIN_REQUESTS_PER_CONNECTION, ROOT, SEED, WARMUP_SECONDS, WRK_THREADS } from './config.mjs';
import { reportCards, summarizeCards } from './cards.mjs';
import { reportEdge } from './edge.mjs';
import { fmtKb, fmtMb, fmtMs, fmtRatio, fmtRps, fmtS, formatTable, int } from './format.mjs';
import { errorSummary, rate, socketErrorCount } from './measure.mjs';
import { reportMemory } from './memory.mjs';
import { reportOperations, summarizeOperations } from './operations.mjs';
import { reportNotify, summarizeNotify } from './notify.mjs';
import { reportOrigin } from './origin.mjs';
import { pacedFailures, reportPacedWrites } from './paced-writes.mjs';
import { reportScale } from './scale.mjs';
import { reportSearch, summarizeSearch } from './search.mjs';
import { reportSignedIn, summarizeSignedIn } from './signed-in.mjs';
import { reportWrites } from './writes.mjs';

export function report(results) {
  const { articles, seconds: seedSeconds, users } = results.benchData;
  const out = [
    '',
    `Benchmark: wrk -t${WRK_THREADS}, ${results.durationSeconds} s per run after a ${WARMUP_SECONDS} s warm-up; ` +
      `${results.machine.cpus} CPUs shared by the server, wrk and nginx`,
    `Data: ${int.format(users)} users; copies of the article with ${articles.map((a) => `${int.format(a.commentCount)}`).join(' and ')} ` +
      `comments (~${Math.round(SEED.replyShare * 100)}% replies), written into ${DB_PATH} in ${seedSeconds.toFixed(1)} s before the build`,
  ];
  out.push(...reportOrigin(results), ...reportCards(results), ...reportSignedIn(results), ...reportScale(results), ...reportWrites(results), ...reportPacedWrites(results), ...reportOperations(results), ...reportNotify(results), ...reportSearch(results), ...reportEdge(results), ...reportMemory(results));

  const errors = measuredRuns(results)
    .map((run) => [run.label, errorSummary(run.figures)])
    .filter(([, summary]) => summary)
    .map(([label, summary]) => `${label}: ${summary}`);
  out.push('', `Errors during load: ${errors.length ? '' : 'none'}`, ...errors.map((e) => `  ${e}`));
  const extended = measuredRuns(results).filter((run) => run.figures.extendedFrom);
  if (extended.length) {
    out.push(
      `Runs measured again for longer (fewer than ${MIN_REQUESTS_PER_CONNECTION} requests per connection in ${results.durationSeconds} s):`,
      ...extended.map(({ label, figures: f }) => `  ${label}: ${f.extendedFrom.requests} requests, then ${int.format(f.requests)} in ${f.seconds.toFixed(1)} s`),
    );
  }

  out.push('', `Build time     ${results.build.seconds === null ? `skipped (reused ${DIST_DIR})` : `${results.build.seconds.toFixed(1)} s`}`);
  const js = results.firstLoadJs;
  if (js.error) out.push(`First-load JS  n/a: ${js.error}`);
  else {
    js.routes.forEach((r, i) =>
      out.push(
        `${i === 0 ? 'First-load JS' : ''}`.padEnd(15) +
          `${r.route}: ${fmtKb(r.gzipBytes)} gzip (${fmtKb(r.rawBytes)} raw, ${r.chunks} chunks)` +
          (r.error ? ` [${r.error}]` : ''),
      ),
    );
  }
  if (results.notes.length) out.push('', 'Notes:', ...results.notes.map((n) => `  ${n}`));
  out.push(...reportSummary(results.summary));
  return out.join('\n');
}

/** Every measured wrk run with a label; `write` runs must also be free of socket errors. */
export function measuredRuns(results) {
  const runs = [];
  for (const r of results.origin?.runs ?? []) {
    runs.push({ label: `origin page @${r.connections}`, figures: r.page, write: false });
    runs.push({ label: `origin baseline @${r.connections}`, figures: r.baseline, write: false });
  }
  for (const r of results.cards?.runs ?? []) {
    runs.push({ label: `card @${r.connections}`, figures: r.page, write: false });
    runs.push({ label: `card baseline @${r.connections}`, figures: r.baseline, write: false });
  }
  for (const r of results.signedIn?.runs ?? []) {
    runs.push({ label: `signed-in signed-out @${r.connections}`, figures: r.signedOut, write: false });
    runs.push({ label: `signed-in signed-in @${r.connections}`, figures: r.signedIn, write: false });
  }
  for (const r of results.scale?.runs ?? []) {
    for (const [label, figures] of Object.entries(r.pages)) {
      runs.push({ label: `scale ${label} @${r.connections}`, figures, write: false });
    }
  }
  for (const r of results.edge?.runs ?? []) {
    runs.push({ label: `edge ${r.client} page @${r.connections}`, figures: r.page, write: false });
    runs.push({ label: `edge ${r.client} static @${r.connections}`, figures: r.static, write: false });
  }
  if (results.search) {
    runs.push(
      { label: 'search @10', figures: results.search.reads.load, write: false },
      { label: 'search signed in @10', figures: results.search.reads.signedIn.load, write: false },
      { label: 'search rendered @10', figures: results.search.reads.rendered.load, write: false },
      { label: 'search baseline @10', figures: results.search.reads.baseline.load, write: false },
    );
  }
  const o = results.operations;
  if (o) {
    o.on.forEach((figures, i) => runs.push({ label: `operations log on #${i + 1} @${o.connections}`, figures, write: false }));
    o.off.forEach((figures, i) => runs.push({ label: `operations log off #${i + 1} @${o.connections}`, figures, write: false }));
    runs.push({ label: `operations /api/health @${o.connections}`, figures: o.health, write: false });
    runs.push({ label: `operations /api/ready @${o.connections}`, figures: o.ready, write: false });
  }
  if (results.writes) runs.push({ label: `${results.writes.name} @${results.writes.writers}`, figures: results.writes.load, write: true });
  if (results.writes) runs.push({ label: `POST floor @${results.writes.writers}`, figures: results.writes.floor.load, write: true });
  return runs;
}

/**
 * One row per goal of the issue: the figure, its baseline (when it has one), the ratio, the
 * target and whether it is met. Judged here only to be printed and stored; a missed goal never
 * fails the command.
 */
export function summarize(results) {
  const rows = [];
  const row = (goal, measured, baseline, ratio, target, pass) => rows.push({ goal, measured, baseline, ratio, target, pass });
  const atLeast = (n, goal) => (n === null ? null : n >= goal);
  for (const r of results.origin?.runs ?? []) {
    // Latencies as a fraction of the ceiling too (baseline / page), so one goal reads the same way for all three.
    row(`origin req/s @${r.connections}`, `${fmtRps(r.page.requestsPerSec)} req/s`, `${fmtRps(r.baseline.requestsPerSec)} req/s`, r.ratio, `>= ${GOALS.originRatio.toFixed(2)}`, atLeast(r.ratio, GOALS.originRatio));
    for (const key of ['p50Ms', 'p99Ms']) {
      const ratio = rate(r.baseline[key], r.page[key]);
      row(`origin ${key.slice(0, 3)} @${r.connections}`, fmtMs(r.page[key]), fmtMs(r.baseline[key]), ratio, `>= ${GOALS.originRatio.toFixed(2)}`, atLeast(ratio, GOALS.originRatio));
    }
  }
  summarizeCards(results.cards, row);
  summarizeSignedIn(results.signedIn, row);
  summarizeOperations(results.operations, row);
  summarizeNotify(results.notify, row);
  summarizeSearch(results.search, row);
  const scale = results.scale;
  for (const r of scale?.runs ?? []) {
    const [a, b] = [r.pages[scale.small], r.pages[scale.large]];
    row(
      `scale ${scale.large} vs ${scale.small}, uncached @${r.connections}`,
      `${fmtRps(b.requestsPerSec)} req/s`,
      `${fmtRps(a.requestsPerSec)} req/s`,
      r.slowdown,
      `<= ${GOALS.scaleSlowdown.toFixed(2)}x`,
      r.slowdown === null ? null : r.slowdown <= GOALS.scaleSlowdown,
    );
  }
  const edge = results.edge;
  if (edge) {
    for (const r of edge.runs) {
      row(`edge ${r.client} req/s @${r.connections}`, `${fmtRps(r.page.requestsPerSec)} req/s`, `${fmtRps(r.static.requestsPerSec)} req/s`, r.ratio, `>= ${GOALS.edgeRatio.toFixed(2)}`, atLeast(r.ratio, GOALS.edgeRatio));
    }
    const f = edge.freshness;
    row('edge: new comment visible', f.ok ? `${fmtS(f.maxEdgeMs, 3)} (max of ${f.samples.length})` : `not within ${fmtS(f.timeoutMs)}`, '-', null, `<= ${fmtS(GOALS.edgeFreshnessMs)}`, f.ok && f.maxEdgeMs <= GOALS.edgeFreshnessMs);
    const s = edge.spacedCookie;
    row('edge: visible after "name =x" cookie', s.edgeMs === null ? `not within ${fmtS(s.timeoutMs)}` : fmtS(s.edgeMs, 3), '-', null, `<= ${fmtS(GOALS.edgeFreshnessMs)}`, s.ok);
    const passed = edge.checks.filter((c) => c.ok).length;
    row('edge: signed-in never cached', `${passed}/${edge.checks.length} checks pass`, '-', null, 'all', passed === edge.checks.length);
  } else {
    row('edge', `skipped (${results.edgeSkipped})`, '-', null, '-', null);
  }
  const w = results.writes;
  if (w) {
    const errors = w.load.non2xx + socketErrorCount(w.load);
    row(`writes stored/s, ${w.writers} writers`, `${fmtRps(w.storedPerSec)}/s`, '-', null, `>= ${GOALS.writesPerSec}/s`, w.storedPerSec >= GOALS.writesPerSec);
    row(
      `writes stored/s vs POST floor @${w.writers}`,
      `${fmtRps(w.storedPerSec)}/s`,
      `${fmtRps(w.floor.perSec)}/s`,
      w.floorRatio,
      `>= ${GOALS.writesFloorRatio.toFixed(2)}`,
      atLeast(w.floorRatio, GOALS.writesFloorRatio),
    );
    row(`writes p99, ${w.writers} flat out`, fmtMs(w.load.p99Ms), '-', null, '(queueing)', null);
    row(`writes errors, ${w.writers} writers`, `${int.format(errors)} (non-2xx + socket)`, '-', null, '0', errors === 0);
  }
  const paced = results.pacedWrites;
  if (paced) {
    row(`writes stored, paced`, `${int.format(paced.stored)} of ${int.format(paced.requests)} (${fmtRps(paced.storedPerSec)}/s)`, '-', null, 'every post', paced.stored === paced.requests);
    row(`writes p99, ${paced.writers} writers at ${paced.targetPerSec}/s`, fmtMs(paced.p99Ms), '-', null, `< ${GOALS.writesP99Ms} ms`, paced.p99Ms < GOALS.writesP99Ms);
    row(`writes errors, paced`, `${int.format(pacedFailures(paced))} (non-2xx + socket)`, '-', null, '0', pacedFailures(paced) === 0);
  }
  if (results.memory) row('server peak RSS', fmtMb(results.memory.peakRssBytes), '-', null, '-', null);
  return rows;
}

function reportSummary(rows) {
  const result = (pass) => (pass === null ? '-' : pass ? 'pass' : 'MISS');
  return [
    '',
    'Summary: the issue\'s goals, each figure beside its baseline from this run (a MISS does not fail the command)',
    '',
    formatTable(
      ['goal', 'measured', 'baseline', 'ratio', 'target', 'result'],
      rows.map((r) => [r.goal, r.measured, r.baseline, r.ratio === null ? '-' : fmtRatio(r.ratio), r.target, result(r.pass)]),
    ),
    'ratios: origin and edge req/s = page / baseline; origin p50/p99 = baseline / page (the page\'s speed as a share of the ceiling);',
    '        signed-in req/s, p99 and gzip bytes = signed-in / signed-out page, the same URL (req/s: higher is better; p99, bytes: lower);',
    '        scale = time per request with 100,000 comments / with 1,000 (req/s of 1,000 / req/s of 100,000)',
  ];
}

export function writeResults(results) {
  const stamp = results.startedAt.replaceAll(':', '-'); // colons are awkward in file names
  const json = JSON.stringify(results, null, 2) + '\n';
  const file = path.join(BENCH_DIR, `results-${stamp}.json`);
  fs.writeFileSync(file, json);
  fs.writeFileSync(path.join(BENCH_DIR, 'latest.json'), json);
  return path.relative(ROOT, file);
}
