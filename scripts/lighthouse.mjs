#!/usr/bin/env node
/**
 * npm run lighthouse [-- --no-build] [-- --min 95] [-- --runs 2]
 *
 * Lighthouse (the npm package, through its Node API) against the production build, in the
 * system Chromium:
 *   1. builds the app into .bench/lighthouse-next (never touching the developer's .next), or
 *      reuses that build with --no-build,
 *   2. starts `next start` on a free loopback port with a fresh database in .bench/lighthouse.db,
 *   3. audits each page below on the mobile (Lighthouse's default) and desktop presets, with a
 *      fresh Chrome per audit and Lighthouse's default simulated throttling,
 *   4. prints the four category scores, FCP, LCP, TBT and CLS, and every audit that cost a point
 *      in a category under 100; writes the summary to .bench/lighthouse.json and each full
 *      report to .bench/lighthouse/<page>-<preset>[-run<n>].report.{json,html},
 *   5. stops Chrome and the server by PID, also when something fails or on Ctrl-C.
 *
 * Exit code: non-zero when something failed to run (build, server start, a Lighthouse runtime
 * error, a page that did not answer 200 or ended on another URL). A score never fails the run
 * unless --min N is given: then any category under N (the median over --runs) exits 1 too.
 *
 * The audited origin is http://localhost:<port> (the server listens on 127.0.0.1; SITE_URL is set
 * to the same origin, as in playwright.config.ts, so canonical URLs and Auth.js's redirects stay
 * on the origin the browser is on). Lighthouse counts localhost as a secure context, so the
 * HTTPS audit passes without TLS.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { desktopConfig } from 'lighthouse';
import { chromiumFlags, systemChromium } from './lib/chromium.mjs';
import { freePort, guardTypeFiles, isRunning, keepOutput, killPid, stopOnSignals, stopServer, waitUntilReady } from './lib/next-process.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = path.join(ROOT, '.bench');
const REPORT_DIR = path.join(OUT_DIR, 'lighthouse');
const SUMMARY_FILE = path.join(OUT_DIR, 'lighthouse.json');
// Relative: next.config.js hands NEXT_DIST_DIR to distDir, which Next resolves from the project root.
const DIST_DIR = '.bench/lighthouse-next';
const DB_PATH = '.bench/lighthouse.db';
const NEXT_BIN = path.join(ROOT, 'node_modules/next/dist/bin/next');
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const METRICS = [
  { id: 'first-contentful-paint', label: 'FCP', unit: 's' },
  { id: 'largest-contentful-paint', label: 'LCP', unit: 's' },
  { id: 'total-blocking-time', label: 'TBT', unit: 'ms' },
  { id: 'cumulative-layout-shift', label: 'CLS', unit: '' },
];
const PAGES = [
  { name: 'article', path: '/articles/xiaomi-q2-2017-smartphone-shipments' },
  { name: 'home', path: '/' },
  { name: 'signin', path: '/signin' },
  // The framework's floor (app/bench/floor): scores follow the CPU, so each page is read beside it.
  { name: 'floor', path: '/bench/floor', floor: true },
];
/** Issue #12's goals on mobile: TBT at most the floor's plus this, performance at most this under it. */
const FLOOR_GOALS = { tbtMarginMs: 100, scoreMargin: 5 };
const PRESETS = [
  { name: 'mobile', config: undefined },
  { name: 'desktop', config: desktopConfig },
];

class RunError extends Error {
  name = 'RunError';
}

// ---------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const options = { build: true, min: null, runs: 1 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new RunError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--no-build') options.build = false;
    else if (arg === '--min') options.min = Number(value());
    else if (arg === '--runs') options.runs = Number(value());
    else if (arg === '--help' || arg === '-h') options.help = true;
    else throw new RunError(`unknown argument ${arg} (try --help)`);
  }
  if (options.min !== null && !(options.min >= 0 && options.min <= 100)) throw new RunError('--min takes a score from 0 to 100');
  if (!Number.isInteger(options.runs) || options.runs < 1) throw new RunError('--runs takes a whole number from 1');
  return options;
}

// ---------------------------------------------------------------------------------------------
// Processes we start, and stopping them on every exit path
// ---------------------------------------------------------------------------------------------

/** Stop steps for what is running now (the server, a Chrome); each runs once. */
const stoppers = new Set();

function onStop(stop) {
  let done = null;
  const once = () => (done ??= stop());
  stoppers.add(once);
  return async () => {
    stoppers.delete(once);
    await once();
  };
}

async function stopEverything() {
  for (const stop of [...stoppers]) {
    stoppers.delete(stop);
    try {
      await stop();
    } catch (error) {
      console.error(`while stopping: ${error.message}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Build
// ---------------------------------------------------------------------------------------------

function nextEnv(extra = {}) {
  // BENCH_BASELINE=1 builds the floor page (app/bench/floor); it is a 404 in other builds.
  return { ...process.env, NODE_ENV: 'production', NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: '1', BENCH_BASELINE: '1', ...extra };
}

async function build(wanted) {
  const hasBuild = fs.existsSync(path.join(ROOT, DIST_DIR, 'BUILD_ID'));
  if (!wanted && hasBuild) {
    console.log(`Reusing the build in ${DIST_DIR} (--no-build).`);
    return null;
  }
  if (!wanted) console.log(`--no-build given, but ${DIST_DIR} holds no build; building.`);
  console.log(`Building into ${DIST_DIR} ...`);
  const started = performance.now();
  const restore = guardTypeFiles(ROOT, DIST_DIR);
  let result;
  try {
    result = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [NEXT_BIN, 'build'], { cwd: ROOT, env: nextEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      const stop = onStop(async () => {
        if (isRunning(child)) child.kill('SIGKILL');
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      child.once('error', reject);
      child.once('close', (code, signal) => {
        stop();
        resolve({ code, signal, output });
      });
    });
  } finally {
    for (const note of restore()) console.log(`Note: ${note}.`);
  }
  if (result.code !== 0) {
    process.stderr.write(result.output);
    throw new RunError(`next build failed (exit ${result.code ?? result.signal})`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`Built in ${seconds.toFixed(1)} s.`);
  return seconds;
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

function freshDatabase() {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(ROOT, DB_PATH + suffix), { force: true });
}

function startServer(port) {
  const origin = `http://localhost:${port}`;
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '-H', HOST, '-p', String(port)], {
    cwd: ROOT,
    env: nextEnv({ DATABASE_PATH: DB_PATH, SITE_URL: origin }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = { child, pid: child.pid, port, origin, probeOrigin: `http://${HOST}:${port}`, output: keepOutput(child) };
  server.stop = onStop(() => stopServer(server, STOP_GRACE_MS));
  return server;
}

function get(url) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false }, (response) => {
      response.resume();
      response.once('end', () => resolve({ status: response.statusCode, headers: response.headers }));
    });
    request.setTimeout(30_000, () => request.destroy(new Error(`GET ${url} timed out`)));
    request.once('error', reject);
  });
}


/** One request per page first, so the audit sees the cached article, not its first render. */
async function warmUp(server) {
  for (const page of PAGES) {
    const { status } = await get(server.probeOrigin + page.path);
    if (status !== 200) throw new RunError(`GET ${page.path} answered ${status}, not 200`);
  }
}

// ---------------------------------------------------------------------------------------------
// Lighthouse
// ---------------------------------------------------------------------------------------------

async function launchChrome() {
  const chrome = await chromeLauncher.launch({
    chromePath: systemChromium ?? undefined,
    chromeFlags: ['--headless=new', ...chromiumFlags],
    handleSIGINT: false,
    logLevel: 'silent',
  });
  const pid = chrome.pid;
  const stop = onStop(async () => {
    // chrome-launcher kills Chrome's process group by PID and removes its profile folder.
    await chrome.kill();
    killPid(pid, 'SIGKILL');
  });
  return { chrome, stop };
}

async function audit(origin, page, preset, run, runs) {
  const url = origin + page.path;
  const { chrome, stop } = await launchChrome();
  let result;
  try {
    result = await lighthouse(
      url,
      { port: chrome.port, output: ['json', 'html'], logLevel: 'error', onlyCategories: CATEGORIES },
      preset.config,
    );
  } finally {
    await stop();
  }
  if (!result) throw new RunError(`Lighthouse returned nothing for ${url} (${preset.name})`);
  const { lhr, report } = result;
  const base = `${page.name}-${preset.name}${runs > 1 ? `-run${run}` : ''}`;
  fs.mkdirSync(REPORT_DIR, { recursive: true });
  fs.writeFileSync(path.join(REPORT_DIR, `${base}.report.json`), report[0]);
  fs.writeFileSync(path.join(REPORT_DIR, `${base}.report.html`), report[1]);
  return summarize(lhr, page, preset, run, path.relative(ROOT, path.join(REPORT_DIR, `${base}.report.html`)));
}

function summarize(lhr, page, preset, run, reportFile) {
  const problems = [];
  if (lhr.runtimeError) problems.push(`runtime error ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
  const mainDocument = lhr.audits['network-requests']?.details?.items?.find((item) => item.resourceType === 'Document');
  if (mainDocument && mainDocument.statusCode !== 200) problems.push(`the page answered ${mainDocument.statusCode}`);
  if (new URL(lhr.finalDisplayedUrl).pathname !== page.path) problems.push(`ended on ${lhr.finalDisplayedUrl}`);

  const scores = {};
  const failing = {};
  for (const id of CATEGORIES) {
    const category = lhr.categories[id];
    const score = category?.score == null ? null : Math.round(category.score * 100);
    if (score === null) problems.push(`no ${id} score`);
    scores[id] = score;
    if (score === null || score === 100) continue;
    failing[id] = category.auditRefs
      .map((ref) => ({ ref, result: lhr.audits[ref.id] }))
      .filter(({ result }) => result && result.score !== null && result.score < 1)
      .filter(({ result }) => !['notApplicable', 'manual', 'informative'].includes(result.scoreDisplayMode))
      .map(({ ref, result }) => ({
        id: ref.id,
        title: result.title,
        score: result.score,
        weight: ref.weight,
        displayValue: result.displayValue ?? null,
      }))
      .sort((a, b) => b.weight - a.weight || a.score - b.score);
  }
  const metrics = Object.fromEntries(METRICS.map((m) => [m.label, lhr.audits[m.id]?.numericValue ?? null]));
  return {
    page: page.name,
    path: page.path,
    preset: preset.name,
    run,
    url: lhr.finalDisplayedUrl,
    scores,
    metrics,
    failing,
    runWarnings: lhr.runWarnings,
    problems,
    report: reportFile,
    lighthouseVersion: lhr.lighthouseVersion,
    userAgent: lhr.environment?.hostUserAgent,
    throttlingMethod: lhr.configSettings?.throttlingMethod,
  };
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

function formatMetric(metric, value) {
  if (value === null) return '-';
  if (metric.unit === 's') return `${(value / 1000).toFixed(1)} s`;
  if (metric.unit === 'ms') return `${Math.round(value)} ms`;
  return value.toFixed(3);
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  const line = (row) => row.map((cell, i) => (i < 2 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function report(results, runs) {
  const header = ['page', 'preset', ...(runs > 1 ? ['run'] : []), 'perf', 'a11y', 'best-pr', 'seo', ...METRICS.map((m) => m.label)];
  const rows = results.map((r) => [
    r.page,
    r.preset,
    ...(runs > 1 ? [r.run] : []),
    ...CATEGORIES.map((id) => r.scores[id] ?? '-'),
    ...METRICS.map((m) => formatMetric(m, r.metrics[m.label])),
  ]);
  const lines = [table([header, ...rows])];
  for (const r of results) {
    for (const [category, audits] of Object.entries(r.failing)) {
      lines.push(`\n${r.page} ${r.preset}${runs > 1 ? ` run ${r.run}` : ''}, ${category} ${r.scores[category]}:`);
      if (!audits.length) lines.push('  (no single audit under 1 with weight; rounding of the weighted metrics)');
      for (const a of audits) {
        const value = a.displayValue ? ` (${a.displayValue})` : '';
        lines.push(`  ${a.score.toFixed(2)}  w${a.weight}  ${a.id}: ${a.title}${value}`);
      }
    }
    for (const warning of r.runWarnings ?? []) lines.push(`\n${r.page} ${r.preset}: warning: ${warning}`);
  }
  return lines.join('\n');
}

/**
 * Each page's performance score and TBT beside the floor's, per preset (medians over the runs),
 * with issue #12's goals judged on mobile.
 */
function floorReport(results) {
  const floor = PAGES.find((p) => p.floor);
  const rows = [['page', 'preset', 'perf', 'floor perf', 'diff', 'TBT', 'floor TBT', 'diff', 'goal (mobile)']];
  for (const preset of PRESETS) {
    const of = (page) => results.filter((r) => r.page === page.name && r.preset === preset.name);
    const base = of(floor);
    if (!base.length) continue;
    const floorScore = median(base.map((r) => r.scores.performance ?? 0));
    const floorTbt = median(base.map((r) => r.metrics.TBT ?? 0));
    for (const page of PAGES.filter((p) => !p.floor)) {
      const mine = of(page);
      if (!mine.length) continue;
      const score = median(mine.map((r) => r.scores.performance ?? 0));
      const tbt = median(mine.map((r) => r.metrics.TBT ?? 0));
      const met = score >= floorScore - FLOOR_GOALS.scoreMargin && tbt <= floorTbt + FLOOR_GOALS.tbtMarginMs;
      rows.push([
        page.name,
        preset.name,
        score,
        floorScore,
        score - floorScore,
        `${Math.round(tbt)} ms`,
        `${Math.round(floorTbt)} ms`,
        `${Math.round(tbt - floorTbt)} ms`,
        preset.name === 'mobile' ? (met ? 'pass' : 'MISS') : '-',
      ]);
    }
  }
  return [
    `Beside the framework floor (${floor.path}); goal on mobile: performance at most ${FLOOR_GOALS.scoreMargin} under the floor's, TBT at most the floor's + ${FLOOR_GOALS.tbtMarginMs} ms`,
    table(rows),
  ].join('\n');
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Categories whose median over the runs is under min, as "page preset category score". */
function underMinimum(results, min) {
  const below = [];
  for (const page of PAGES.filter((p) => !p.floor)) {
    for (const preset of PRESETS) {
      const mine = results.filter((r) => r.page === page.name && r.preset === preset.name);
      for (const id of CATEGORIES) {
        const score = median(mine.map((r) => r.scores[id] ?? 0));
        if (score < min) below.push(`${page.name} ${preset.name} ${id} ${score}`);
      }
    }
  }
  return below;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    console.log('npm run lighthouse [-- --no-build] [-- --min <score>] [-- --runs <n>]');
    return 0;
  }
  stopOnSignals('Chrome and the server', stopEverything);
  const summary = { startedAt: new Date().toISOString(), distDir: DIST_DIR, min: options.min, runs: options.runs };
  summary.buildSeconds = await build(options.build);

  freshDatabase();
  const server = startServer(await freePort(HOST));
  console.log(`Server pid ${server.pid} on ${server.origin} (listening on ${HOST}), database ${DB_PATH}`);
  const results = [];
  try {
    await waitUntilReady(server, `${server.probeOrigin}/`, READY_TIMEOUT_MS, RunError);
    await warmUp(server);
    for (let run = 1; run <= options.runs; run++) {
      for (const page of PAGES) {
        for (const preset of PRESETS) {
          process.stdout.write(`  ${page.path} ${preset.name}${options.runs > 1 ? ` run ${run}` : ''} ... `);
          const result = await audit(server.origin, page, preset, run, options.runs);
          console.log(CATEGORIES.map((id) => result.scores[id] ?? '-').join(' / '));
          results.push(result);
        }
      }
    }
  } catch (error) {
    console.error(`\nServer output:\n${server.output() || '(none)'}\n`);
    throw error;
  } finally {
    await server.stop();
  }

  summary.finishedAt = new Date().toISOString();
  summary.lighthouseVersion = results[0]?.lighthouseVersion;
  summary.userAgent = results[0]?.userAgent;
  summary.throttlingMethod = results[0]?.throttlingMethod;
  summary.results = results;
  fs.writeFileSync(SUMMARY_FILE, `${JSON.stringify(summary, null, 2)}\n`);

  console.log(`\nLighthouse ${summary.lighthouseVersion}, ${summary.throttlingMethod} throttling, ${summary.userAgent}\n`);
  console.log(report(results, options.runs));
  console.log(`\n${floorReport(results)}`);
  console.log(`\nWrote ${path.relative(ROOT, SUMMARY_FILE)} and the full reports in ${path.relative(ROOT, REPORT_DIR)}/`);

  let code = 0;
  const broken = results.filter((r) => r.problems.length);
  if (broken.length) {
    console.error(`\nSome audits did not run properly:\n${broken.map((r) => `  ${r.page} ${r.preset}: ${r.problems.join('; ')}`).join('\n')}`);
    code = 1;
  }
  if (options.min !== null) {
    const below = underMinimum(results, options.min);
    if (below.length) {
      console.error(`\nUnder --min ${options.min}:\n${below.map((line) => `  ${line}`).join('\n')}`);
      code = 1;
    } else {
      console.log(`\nEvery category is at ${options.min} or more.`);
    }
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  async (error) => {
    await stopEverything();
    console.error(error instanceof RunError ? `lighthouse: ${error.message}` : error);
    process.exit(1);
  },
);
