#!/usr/bin/env node
/**
 * npm run bench [-- --no-build]
 *
 * Measures the article page against Next's own ceiling on this machine:
 *   1. builds the app into .bench/next (never touching the developer's .next),
 *   2. starts `next start` on a free loopback port with a fresh database in .bench/bench.db,
 *   3. runs wrk against each scenario's page and its baseline (the same page prerendered at
 *      build time, no database) at 10 and 50 connections,
 *   4. prints a table and writes the same figures to .bench/latest.json.
 *
 * It exits non-zero only when something failed to run (build, server start, a non-200 answer),
 * never because a figure looks bad.
 *
 * Environment: BENCH_DURATION=<seconds per measured wrk run> (default 10).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DIR = path.join(ROOT, '.bench');
// Relative on purpose: next.config.js hands NEXT_DIST_DIR to distDir, which Next resolves from the project root.
const DIST_DIR = '.bench/next';
const DB_PATH = '.bench/bench.db';
const NEXT_BIN = path.join(ROOT, 'node_modules/next/dist/bin/next');
// Loopback only: the bench must never expose the server or load anything off this machine.
const HOST = '127.0.0.1';

const CONNECTIONS = [10, 50];
const WRK_THREADS = 2;
const WARMUP_SECONDS = 2;
const WARM_REQUESTS = 3;
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

/**
 * What to measure. Each scenario is a page and the baseline that bounds it from above: the same
 * output served as a build-time prerender, so the ratio shows what the page's own work costs.
 * Later scenarios (1,000 and 100,000 comments, behind nginx, under write load) go here.
 */
const SCENARIOS = [
  {
    name: 'article',
    url: '/articles/xiaomi-q2-2017-smartphone-shipments',
    baselineUrl: '/bench/baseline',
  },
];

/** Routes whose first-load JavaScript is reported: the article, then an empty-ish comparison. */
const BUNDLE_ROUTES = ['/articles/[slug]', '/_not-found', '/bench/baseline'];

// ---------------------------------------------------------------------------------------------
// Child processes and cleanup
// ---------------------------------------------------------------------------------------------

/** Every child still running, so an interrupted bench can stop them by PID. */
const running = new Set();
/** Undo steps (stop the server, restore files Next rewrote) that must run on any exit path. */
const cleanups = new Set();

class BenchError extends Error {
  name = 'BenchError';
}

function track(child) {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Runs a command to completion, capturing its output. Rejects only if it cannot be started. */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = track(spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...options }));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

function onPath(command) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, command), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The environment every Next process of the bench gets: its own build folder and the baseline route. */
function nextEnv(extra = {}) {
  return {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_DIST_DIR: DIST_DIR,
    BENCH_BASELINE: '1',
    NEXT_TELEMETRY_DISABLED: '1',
    ...extra,
  };
}

// ---------------------------------------------------------------------------------------------
// Build
// ---------------------------------------------------------------------------------------------

/**
 * `next build` rewrites tsconfig.json and next-env.d.ts to point at its distDir. For the bench's
 * build that would leave the developer's files pointing at .bench/next, so snapshot them first and
 * put them back afterwards, but only when the change is exactly Next's distDir edit: if someone
 * else edited a file during the build, theirs wins and we only warn.
 */
function guardTypeFiles() {
  const files = ['tsconfig.json', 'next-env.d.ts'].map((name) => {
    const file = path.join(ROOT, name);
    return { name, file, before: readOrNull(file) };
  });
  let done = false;
  return function restore() {
    if (done) return [];
    done = true;
    const notes = [];
    for (const { name, file, before } of files) {
      const after = readOrNull(file);
      if (before === null || after === before) continue;
      if (isDistDirEdit(name, before, after)) {
        fs.writeFileSync(file, before);
        notes.push(`restored ${name} after next build pointed it at ${DIST_DIR}`);
      } else {
        notes.push(`${name} changed during the build and was left as is; check it`);
      }
    }
    return notes;
  };
}

function readOrNull(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function isDistDirEdit(name, before, after) {
  if (name === 'next-env.d.ts') return after.replaceAll(`./${DIST_DIR}/`, './.next/') === before;
  try {
    const was = JSON.parse(before);
    const now = JSON.parse(after);
    if (Array.isArray(now.include)) now.include = now.include.filter((entry) => !entry.startsWith(`${DIST_DIR}/`));
    return JSON.stringify(was) === JSON.stringify(now);
  } catch {
    return false; // a tsconfig with comments: too risky to judge, leave it to a person
  }
}

/** Builds into .bench/next unless --no-build asked to reuse an existing build. Returns seconds, or null if skipped. */
async function build(skipRequested, notes) {
  const hasBuild = fs.existsSync(path.join(ROOT, DIST_DIR, 'BUILD_ID'));
  if (skipRequested && hasBuild) {
    console.log(`Reusing the build in ${DIST_DIR} (--no-build).`);
    return null;
  }
  if (skipRequested) console.log(`--no-build given but ${DIST_DIR} has no build; building.`);
  console.log(`Building into ${DIST_DIR} ...`);

  const restore = guardTypeFiles();
  cleanups.add(restore);
  let result;
  try {
    result = await run(process.execPath, [NEXT_BIN, 'build'], { env: nextEnv() });
  } finally {
    cleanups.delete(restore);
    for (const note of restore()) {
      console.log(note);
      notes.push(note);
    }
  }
  if (result.code !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new BenchError(`next build failed (exit ${result.code ?? result.signal})`);
  }
  console.log(`Built in ${result.seconds.toFixed(1)} s.`);
  return result.seconds;
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

function resetDatabase() {
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(ROOT, DB_PATH + suffix), { force: true });
}

/** Asks the kernel for a free loopback port, then releases it for the server to take. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function startServer(port) {
  const origin = `http://${HOST}:${port}`;
  const child = track(
    spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(port), '-H', HOST], {
      cwd: ROOT,
      env: nextEnv({ DATABASE_PATH: DB_PATH, SITE_URL: origin }),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  // Keep the server's output (bounded) to show it when something goes wrong.
  const lines = [];
  const keep = (chunk) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return { child, pid: child.pid, port, origin, output: () => lines.join('\n') };
}

async function waitUntilReady(server) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new BenchError(`the server exited (${server.child.exitCode ?? server.child.signalCode}) before answering`);
    }
    try {
      const { status } = await get(`${server.origin}/`);
      if (status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new BenchError(`the server did not answer GET / with 200 within ${READY_TIMEOUT_MS / 1000} s`);
}

/** SIGTERM, then SIGKILL after a grace period; also any children it spawned, by their PIDs. */
async function stopServer(server) {
  const children = descendants(server.pid);
  if (server.child.exitCode === null && server.child.signalCode === null) {
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    const timer = setTimeout(() => server.child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Child PIDs from /proc/<pid>/task/<tid>/children, recursively. */
function descendants(pid) {
  const found = [];
  let tasks = [];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return found;
  }
  for (const tid of tasks) {
    const text = readOrNull(`/proc/${pid}/task/${tid}/children`) ?? '';
    for (const child of text.split(/\s+/).filter(Boolean).map(Number)) found.push(child, ...descendants(child));
  }
  return found;
}

/**
 * Peak resident memory of the process that actually serves: `next start` may hand the socket to a
 * child, so find the process holding the listening socket and report its VmHWM.
 */
function serverMemory(server) {
  const candidates = [server.pid, ...descendants(server.pid)];
  const listener = listeningPid(server.port, candidates);
  const servingPid = listener ?? server.pid;
  const processes = candidates.map((pid) => ({
    pid,
    // next-server sets process.title, so cmdline reads "next-server (vX)" rather than the command.
    title: (readOrNull(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean).join(' '),
    peakRssBytes: statusKb(pid, 'VmHWM') * 1024,
    rssBytes: statusKb(pid, 'VmRSS') * 1024,
    serves: pid === servingPid,
  }));
  const serving = processes.find((p) => p.serves);
  const how = listener === null ? 'listening socket not found, assumed' : 'holds the listening socket';
  const children =
    candidates.length === 1 ? 'next start spawned no child' : `${candidates.length - 1} child process(es) of pid ${server.pid}`;
  const note = `pid ${servingPid} "${serving.title}", ${how}; ${children}`;
  return { servingPid, peakRssBytes: serving.peakRssBytes, processes, note };
}

function statusKb(pid, field) {
  const match = (readOrNull(`/proc/${pid}/status`) ?? '').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return match ? Number(match[1]) : NaN;
}

/** The PID among candidates whose open files include the socket listening on 127.0.0.1:port. */
function listeningPid(port, candidates) {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const row = (readOrNull('/proc/net/tcp') ?? '')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find((cols) => cols[1] === local && cols[3] === '0A'); // 0A = LISTEN
  if (!row) return null;
  const socket = `socket:[${row[9]}]`;
  return (
    candidates.find((pid) => {
      try {
        return fs.readdirSync(`/proc/${pid}/fd`).some((fd) => {
          try {
            return fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === socket;
          } catch {
            return false;
          }
        });
      } catch {
        return false;
      }
    }) ?? null
  );
}

// ---------------------------------------------------------------------------------------------
// HTTP probes
// ---------------------------------------------------------------------------------------------

/** One GET without keep-alive or decompression, so byte counts are what travels on the wire. */
function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get(url, { agent: false, headers, timeout: 10_000 }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          headers: res.headers,
          bytes: Buffer.concat(chunks).length,
          ms: performance.now() - started,
        }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timed out: ${url}`)));
    req.on('error', reject);
  });
}

/**
 * Warms a URL (the article renders from SQLite on its first request and is cached after that),
 * asserts every answer is 200, and records the body size plain and gzipped.
 */
async function probe(origin, url) {
  const answers = [];
  for (let i = 0; i < WARM_REQUESTS; i++) answers.push(await get(origin + url));
  const bad = answers.find((a) => a.status !== 200);
  if (bad) throw new BenchError(`GET ${url} answered ${bad.status}, expected 200`);
  const gzipped = await get(origin + url, { 'accept-encoding': 'gzip' });
  const last = answers.at(-1);
  return {
    status: 200,
    bodyBytes: last.bytes,
    gzipBytes: gzipped.headers['content-encoding'] === 'gzip' ? gzipped.bytes : null,
    firstResponseMs: answers[0].ms,
    warmResponseMs: last.ms,
    cacheHeader: last.headers['x-nextjs-cache'] ?? null,
    cacheControl: last.headers['cache-control'] ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// wrk
// ---------------------------------------------------------------------------------------------

async function wrk(url, connections, seconds) {
  const args = [`-t${WRK_THREADS}`, `-c${connections}`, `-d${seconds}s`, '--latency', url];
  const result = await run('wrk', args);
  if (result.code !== 0) throw new BenchError(`wrk ${args.join(' ')} failed (exit ${result.code}): ${result.stderr.trim()}`);
  return parseWrk(result.stdout, `wrk ${args.join(' ')}`);
}

const TO_MS = { us: 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 };

/** Pulls the figures out of wrk's text report; throws if its shape is not what we expect. */
function parseWrk(text, label) {
  const number = (re) => {
    const match = text.match(re);
    return match ? Number(match[1]) : null;
  };
  const distribution = text.split('Latency Distribution')[1] ?? '';
  const percentile = (p) => {
    const match = distribution.match(new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, 'm'));
    return match ? Number(match[1]) * TO_MS[match[2]] : null;
  };
  const socket = text.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const figures = {
    requestsPerSec: number(/Requests\/sec:\s+([\d.]+)/),
    requests: number(/(\d+) requests in/),
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    // wrk counts any status >= 400 here; every page we measure must answer 200.
    non2xx: number(/Non-2xx or 3xx responses: (\d+)/) ?? 0,
    socketErrors: socket
      ? { connect: +socket[1], read: +socket[2], write: +socket[3], timeout: +socket[4] }
      : { connect: 0, read: 0, write: 0, timeout: 0 },
  };
  if (figures.requestsPerSec === null || figures.p50Ms === null || figures.p99Ms === null) {
    throw new BenchError(`could not read the output of ${label}:\n${text}`);
  }
  return figures;
}

function errorSummary(figures) {
  const socket = Object.entries(figures.socketErrors).filter(([, n]) => n > 0);
  const parts = [];
  if (figures.non2xx) parts.push(`${figures.non2xx} non-2xx/3xx`);
  if (socket.length) parts.push(`socket errors ${socket.map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  return parts.join('; ');
}

/** Warm-up run (figures discarded: JIT, caches and connections settle), then the measured run. */
async function measure(origin, url, connections, seconds) {
  await wrk(origin + url, connections, WARMUP_SECONDS);
  return wrk(origin + url, connections, seconds);
}

async function runScenario(origin, scenario, seconds) {
  const page = await probe(origin, scenario.url);
  const baseline = await probe(origin, scenario.baselineUrl);
  const runs = [];
  for (const connections of CONNECTIONS) {
    console.log(`  ${scenario.name}: ${connections} connections ...`);
    const pageFigures = await measure(origin, scenario.url, connections, seconds);
    const baselineFigures = await measure(origin, scenario.baselineUrl, connections, seconds);
    runs.push({
      connections,
      page: pageFigures,
      baseline: baselineFigures,
      ratio: pageFigures.requestsPerSec / baselineFigures.requestsPerSec,
    });
  }
  return { ...scenario, probes: { page, baseline }, runs };
}

// ---------------------------------------------------------------------------------------------
// First-load JavaScript
// ---------------------------------------------------------------------------------------------

/**
 * Next 16 no longer prints route sizes; it writes diagnostics/route-bundle-stats.json, an array of
 * { route, firstLoadUncompressedJsBytes, firstLoadChunkPaths }. Gzip each chunk ourselves, one by
 * one as the browser fetches them, to get the transfer size.
 */
function firstLoadJs() {
  const file = path.join(ROOT, DIST_DIR, 'diagnostics/route-bundle-stats.json');
  const text = readOrNull(file);
  if (text === null) return { error: `${path.relative(ROOT, file)} not found` };
  const stats = JSON.parse(text);
  const routes = [];
  for (const route of BUNDLE_ROUTES) {
    const entry = stats.find((s) => s.route === route);
    if (!entry) continue;
    const chunks = entry.firstLoadChunkPaths.map(chunkFile);
    const missing = chunks.filter((c) => c === null).length;
    routes.push({
      route,
      chunks: chunks.length,
      rawBytes: entry.firstLoadUncompressedJsBytes,
      gzipBytes: missing ? null : chunks.reduce((sum, c) => sum + zlib.gzipSync(fs.readFileSync(c)).length, 0),
      ...(missing ? { error: `${missing} chunk file(s) not found` } : {}),
    });
  }
  return { routes };
}

/** Chunk paths are written relative to the project root; fall back to resolving them inside the build folder. */
function chunkFile(recorded) {
  const candidates = [path.resolve(ROOT, recorded)];
  const staticAt = recorded.indexOf('static/');
  if (staticAt !== -1) candidates.push(path.join(ROOT, DIST_DIR, recorded.slice(staticAt)));
  return candidates.find((c) => fs.existsSync(c)) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const fmtRps = (n) => int.format(n);
const fmtMs = (n) => `${n.toFixed(2)} ms`;
const fmtBytes = (n) => (n === null || Number.isNaN(n) ? 'n/a' : `${int.format(n)} B`);
const fmtKb = (n) => (n === null ? 'n/a' : `${(n / 1000).toFixed(1)} kB`);
const fmtMib = (n) => (Number.isNaN(n) ? 'n/a' : `${(n / 1024 / 1024).toFixed(1)} MiB`);

function formatTable(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  // First column left-aligned (names), the figures right-aligned.
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function report(results) {
  const out = [];
  out.push(
    '',
    `Benchmark: page vs baseline (wrk -t${WRK_THREADS}, ${results.durationSeconds} s per run after a ` +
      `${WARMUP_SECONDS} s warm-up; ${results.machine.cpus} CPUs shared by server and wrk)`,
    '',
  );
  const rows = [];
  for (const s of results.scenarios) {
    for (const r of s.runs) {
      rows.push([
        s.name,
        String(r.connections),
        fmtRps(r.page.requestsPerSec),
        fmtRps(r.baseline.requestsPerSec),
        r.ratio.toFixed(2),
        fmtMs(r.page.p50Ms),
        fmtMs(r.page.p99Ms),
        fmtMs(r.baseline.p50Ms),
        fmtMs(r.baseline.p99Ms),
      ]);
    }
  }
  out.push(
    formatTable(
      ['scenario', 'conns', 'page req/s', 'baseline req/s', 'ratio', 'page p50', 'page p99', 'base p50', 'base p99'],
      rows,
    ),
  );

  const errors = results.scenarios.flatMap((s) =>
    s.runs.flatMap((r) =>
      [
        ['page', r.page],
        ['baseline', r.baseline],
      ]
        .map(([which, f]) => [which, errorSummary(f)])
        .filter(([, summary]) => summary)
        .map(([which, summary]) => `${s.name} ${which} @${r.connections}: ${summary}`),
    ),
  );
  out.push('', `Errors during load: ${errors.length ? '' : 'none'}`, ...errors.map((e) => `  ${e}`), '');

  for (const s of results.scenarios) {
    const { page, baseline } = s.probes;
    out.push(
      `${s.name}`,
      `  page      ${s.url}: ${fmtBytes(page.bodyBytes)} HTML (${fmtBytes(page.gzipBytes)} gzip), ` +
        `first request ${fmtMs(page.firstResponseMs)}, x-nextjs-cache ${page.cacheHeader ?? '-'}`,
      `  baseline  ${s.baselineUrl}: ${fmtBytes(baseline.bodyBytes)} HTML (${fmtBytes(baseline.gzipBytes)} gzip), ` +
        `first request ${fmtMs(baseline.firstResponseMs)}, x-nextjs-cache ${baseline.cacheHeader ?? '-'}`,
    );
  }

  out.push(
    '',
    `Build time     ${results.build.seconds === null ? `skipped (reused ${DIST_DIR})` : `${results.build.seconds.toFixed(1)} s`}`,
    `Peak RSS       ${fmtMib(results.server.peakRssBytes)} (VmHWM of ${results.server.note})`,
  );
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
  return out.join('\n');
}

function writeResults(results) {
  const stamp = results.startedAt.replaceAll(':', '-'); // colons are awkward in file names
  const json = JSON.stringify(results, null, 2) + '\n';
  const file = path.join(BENCH_DIR, `results-${stamp}.json`);
  fs.writeFileSync(file, json);
  fs.writeFileSync(path.join(BENCH_DIR, 'latest.json'), json);
  return path.relative(ROOT, file);
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function durationSeconds() {
  const raw = process.env.BENCH_DURATION ?? '10';
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1) throw new BenchError(`BENCH_DURATION must be a whole number of seconds, got "${raw}"`);
  return seconds;
}

/** On Ctrl-C or SIGTERM: stop what we started (by PID), undo file edits, and leave. */
function handleSignals() {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, async () => {
      if (stopping) return;
      stopping = true;
      console.error(`\n${signal}: stopping ...`);
      for (const cleanup of cleanups) await cleanup();
      for (const child of running) child.kill('SIGKILL');
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

async function main() {
  if (!onPath('wrk')) {
    console.error('wrk is not installed; install it with: apt-get install -y wrk');
    return 1;
  }
  const skipBuild = process.argv.includes('--no-build');
  const seconds = durationSeconds();
  handleSignals();

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
  results.build = { distDir: DIST_DIR, seconds: await build(skipBuild, results.notes) };

  resetDatabase();
  const port = await freePort();
  const server = startServer(port);
  const stop = () => stopServer(server);
  cleanups.add(stop);
  console.log(`Server pid ${server.pid} on ${server.origin}, database ${DB_PATH}`);
  try {
    await waitUntilReady(server);
    results.scenarios = [];
    for (const scenario of SCENARIOS) results.scenarios.push(await runScenario(server.origin, scenario, seconds));
    results.server = { origin: server.origin, ...serverMemory(server) };
  } catch (error) {
    console.error(`\nServer output:\n${server.output() || '(none)'}\n`);
    throw error;
  } finally {
    cleanups.delete(stop);
    await stop();
  }

  results.firstLoadJs = firstLoadJs();
  results.finishedAt = new Date().toISOString();
  console.log(report(results));
  console.log(`\nWrote ${writeResults(results)} and .bench/latest.json`);

  // Load the figures are taken under must have answered 200; anything else makes them meaningless.
  const failed = results.scenarios.some((s) => s.runs.some((r) => r.page.non2xx || r.baseline.non2xx));
  if (failed) {
    console.error('\nSome requests under load did not answer 2xx/3xx: the figures above are not valid.');
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof BenchError ? `bench: ${error.message}` : error);
    process.exit(1);
  },
);
