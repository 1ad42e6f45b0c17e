#!/usr/bin/env node
/**
 * npm run bench [-- --no-build] [-- --no-edge]
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
 *   5. scale: the 100,000-comment copy against the 1,000-comment one, both rendered per request
 *      (a session cookie sends them to the signed-in page), at 10 and 50 connections (goal: at
 *      most 1.2 times slower),
 *   6. the edge: nginx with deploy/nginx.conf (rendered into .bench/nginx) in front of the same
 *      server, the 1,000-comment page against the same nginx serving its bytes from a file (goal:
 *      at least 0.8); then how long a new comment takes to show through it (goal: 2 s), and
 *      whether signed-in and RSC requests skip its cache,
 *   7. writes: 50 signed-in writers (wrk -c50 + scripts/bench-writes.lua) post comments through
 *      the JSON API; comments stored per second counted in SQLite, p50/p99, errors (goal: at least
 *      200/s, p99 under 500 ms, no errors),
 *   8. stops everything it started, prints the figures and a summary of every goal (figure,
 *      baseline, ratio, pass/miss), and writes the same to .bench/latest.json.
 *
 * It exits non-zero only when something failed to run (database, build, server start, a non-2xx
 * answer while reading, a refused or failed write) or an edge check failed (a new comment not
 * shown through the edge within 10 s, a signed-in or RSC request answered from the cache), never
 * because a figure misses its goal. --no-edge skips the edge (for a machine without nginx).
 * --no-build reuses .bench/next, whose baseline was prerendered from an earlier run's database
 * (the same generated comments, so the same size; the printed sizes show it).
 *
 * Environment: BENCH_DURATION=<seconds per measured wrk run> (default 10).
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import dns from 'node:dns/promises';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { encode } from '@auth/core/jwt';
import Database from 'better-sqlite3';
import { descendants, freePort, guardTypeFiles, keepOutput, readOrNull, sleep, stopOnSignals, stopServer, waitUntilReady } from './lib/next-process.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DIR = path.join(ROOT, '.bench');
// Relative on purpose: next.config.js hands NEXT_DIST_DIR to distDir, which Next resolves from the project root.
const DIST_DIR = '.bench/next';
const DB_PATH = '.bench/bench.db';
/** Written by the server next to its database on start (app/_lib/auth-secret.ts), unless AUTH_SECRET is set. */
const AUTH_SECRET_PATH = '.bench/auth-secret';
const SESSION_COOKIE = 'authjs.session-token';
const NEXT_BIN = path.join(ROOT, 'node_modules/next/dist/bin/next');
const TSX_CLI = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
// Loopback only: the bench must never expose the server or load anything off this machine.
const HOST = '127.0.0.1';

const CONNECTIONS = [10, 50];
const WRK_THREADS = 2;
// wrk's default of 2 s would drop (as "timeout" socket errors) the slow requests of a page rendered
// per request at 50 connections on a small machine, and leave them out of the latencies.
const WRK_TIMEOUT_SECONDS = 30;
const MIN_REQUESTS_PER_CONNECTION = 3;
const MAX_RUN_SECONDS = 60;
const WARMUP_SECONDS = 2;
const WARM_REQUESTS = 3;
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

const ARTICLE_SLUG = 'xiaomi-q2-2017-smartphone-shipments';

/**
 * Copies of the seeded article, given this many generated comments each. The first is the page
 * every reading scenario measures (origin, edge) and the small side of the scale comparison; the
 * last is the large side.
 */
const BENCH_ARTICLES = [
  { label: '1k', slug: 'bench-1k-comments', comments: 1_000 },
  { label: '100k', slug: 'bench-100k-comments', comments: 100_000 },
];
const [PAGE_ARTICLE, LARGE_ARTICLE] = [BENCH_ARTICLES[0], BENCH_ARTICLES.at(-1)];
const PAGE_URL = `/articles/${PAGE_ARTICLE.slug}`;
/** Shape of the generated discussion: users, share of replies, share of threads answering a question. */
const SEED = { users: 1_000, replyShare: 0.3, questionShare: 0.25, bodyChars: [100, 600], maxScore: 50, randomSeed: 20170706 };

/**
 * The origin: the signed-out 1,000-comment page, served from Next's full-route cache, against
 * the same page prerendered at build time (app/bench/baseline/page.tsx, built from the same rows)
 * and served by the same `next start`: Next's own ceiling for a page of that size.
 */
const ORIGIN = { name: 'origin', url: PAGE_URL, baselineUrl: '/bench/baseline' };

/**
 * Comment scale: the 100,000-comment copy against the 1,000-comment one, both rendered on every
 * request. A session cookie makes proxy.ts rewrite to /articles/[slug]/signed-in, which is
 * rendered per request (no full-route cache), so each request pays the page's queries.
 */
const SCALE = { description: 'session cookie: proxy.ts rewrites to /signed-in, rendered per request' };

/**
 * Signed-in writers posting comments through the JSON API, one wrk connection each, each request
 * as the next of the writers' users. They write to the seeded article, not to the measured
 * copies, so the order of the scenarios does not change the pages they read. The server runs
 * with COMMENT_RATE_LIMIT_DISABLED=1: the per-reader flood limits would otherwise refuse most of
 * the writes, and this measures how many comments the server can store, not the limits.
 */
const WRITE_SCENARIO = {
  name: 'post comments',
  slug: ARTICLE_SLUG,
  url: `/api/articles/${ARTICLE_SLUG}/comments`,
  writers: 50,
  threads: 2,
  script: 'scripts/bench-writes.lua',
};

/** What the issue asks for; the summary judges each figure against these, and nothing fails on them. */
const GOALS = {
  originRatio: 0.8, // page / baseline requests per second (and baseline / page latency)
  scaleSlowdown: 1.2, // time per request, 100,000 comments / 1,000 comments
  edgeRatio: 0.8, // edge / static file requests per second
  edgeFreshnessMs: 2_000,
  writesPerSec: 200,
  writesP99Ms: 500,
};

/** How often the server's resident memory is read from /proc. */
const MEMORY_SAMPLE_MS = 200;

/**
 * The edge: nginx configured by the file the project ships, in front of the bench's server,
 * serving the 1,000-comment page. Its baseline is the same nginx serving that page's bytes
 * (captured from the origin) from a file, so the ratio shows what
 * the proxy cache costs. Each client kind is measured: browsers (gzip) get the stored gzip copy,
 * plain clients the stored uncompressed one.
 */
const EDGE = {
  name: 'edge',
  template: 'deploy/nginx.conf',
  dir: path.join(BENCH_DIR, 'nginx'),
  url: PAGE_URL,
  staticUrl: '/static-article.html',
  clients: [
    { name: 'gzip', description: 'Accept-Encoding: gzip, as every browser sends', headers: { 'Accept-Encoding': 'gzip' } },
    { name: 'plain', description: 'no Accept-Encoding', headers: {} },
  ],
  // A fresh copy of the article, so a new comment is on its first page (oldest first). Several
  // comments, posted at different points of the edge copy's one-second life.
  freshness: { slug: 'bench-edge-freshness', samples: 3, pollMs: 100, goalMs: GOALS.edgeFreshnessMs, timeoutMs: 10_000 },
  readyTimeoutMs: 10_000,
};
/** What the bench fills in in deploy/nginx.conf, and the comment line it puts its own location at. */
const NGINX_PLACEHOLDERS = ['__LISTEN__', '__UPSTREAM__', '__CACHE_DIR__', '__RUN_DIR__'];
const NGINX_EXTRA_MARKER = '# __EXTRA_LOCATIONS__';

/** Routes whose first-load JavaScript is reported: the article, an empty-ish page, and the baseline. */
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

/**
 * The environment every Next process of the bench gets: its own build folder, its database, and
 * the baseline route drawing the measured article (it reads the database only during the build).
 */
function nextEnv(extra = {}) {
  return {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_DIST_DIR: DIST_DIR,
    DATABASE_PATH: DB_PATH,
    BENCH_BASELINE: '1',
    BENCH_BASELINE_SLUG: PAGE_ARTICLE.slug,
    NEXT_TELEMETRY_DISABLED: '1',
    ...extra,
  };
}

// ---------------------------------------------------------------------------------------------
// Build
// ---------------------------------------------------------------------------------------------

/** Builds into .bench/next unless --no-build asked to reuse an existing build. Returns seconds, or null if skipped. */
async function build(skipRequested, notes) {
  const hasBuild = fs.existsSync(path.join(ROOT, DIST_DIR, 'BUILD_ID'));
  if (skipRequested && hasBuild) {
    console.log(`Reusing the build in ${DIST_DIR} (--no-build).`);
    return null;
  }
  if (skipRequested) console.log(`--no-build given but ${DIST_DIR} has no build; building.`);
  console.log(`Building into ${DIST_DIR} ...`);

  const restore = guardTypeFiles(ROOT, DIST_DIR);
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

/**
 * The host name `next start` is told to bind to. Next serves a rewrite from proxy.ts (every
 * signed-in article request) in-process only when the rewritten URL's origin is the one it was
 * started with, and request.nextUrl calls 127.0.0.1 "localhost": started with -H 127.0.0.1 it
 * forwards each of those requests to itself over HTTP (a second connection per request, and
 * "Failed to proxy ... socket hang up" 500s under load), which it does not with -H localhost
 * (checked on this project with ss). So bind "localhost" when it resolves to 127.0.0.1, which is
 * still loopback only, and 127.0.0.1 otherwise (with a note: signed-in figures then include the hop).
 */
async function bindName(notes) {
  const { address } = await dns.lookup('localhost', { family: 4 }).catch(() => ({ address: null }));
  if (address === HOST) return 'localhost';
  notes.push(`"localhost" does not resolve to ${HOST}: the server binds ${HOST}, and Next forwards signed-in (rewritten) requests to itself over HTTP`);
  return HOST;
}

function startServer(port, bind) {
  const origin = `http://${HOST}:${port}`;
  const child = track(
    spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(port), '-H', bind], {
      cwd: ROOT,
      // The write scenario measures throughput, not the per-reader flood limits (WRITE_SCENARIO).
      env: nextEnv({ SITE_URL: origin, COMMENT_RATE_LIMIT_DISABLED: '1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  // Keep the server's output (bounded) to show it when something goes wrong.
  return { child, pid: child.pid, port, origin, output: keepOutput(child) };
}

/** Lines of the server's output (the last 200 kept) that report an error, for the notes. */
function serverErrorLines(server) {
  return server
    .output()
    .split('\n')
    .filter((line) => /\berror\b|\bfailed\b|⨯/i.test(line));
}

/**
 * Each process of the server's tree at the end of the run, with its VmHWM (the kernel's record of
 * its peak resident memory) and which one serves: `next start` may hand the socket to a child, so
 * the one holding the listening socket is named.
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

/**
 * Resident memory of the server's process tree (`next start` and every process under it, as it
 * may hand the work to a child), the sum of VmRSS in /proc/<pid>/status read every
 * MEMORY_SAMPLE_MS for the whole run. The peak is kept per phase: mark(name) starts the next one.
 * VmHWM (serverMemory) gives each process's exact peak, which a 200 ms sample could miss.
 */
function sampleMemory(server) {
  const phases = [];
  let current = null;
  const read = () => {
    const kb = [server.pid, ...descendants(server.pid)].map((pid) => statusKb(pid, 'VmRSS')).filter(Number.isFinite);
    if (!current || !kb.length) return;
    const bytes = kb.reduce((sum, n) => sum + n, 0) * 1024;
    current.samples += 1;
    if (bytes > current.peakRssBytes) Object.assign(current, { peakRssBytes: bytes, processes: kb.length });
  };
  const mark = (name) => {
    read(); // the previous phase's last reading
    current = { name, peakRssBytes: 0, processes: 0, samples: 0 };
    phases.push(current);
    read();
  };
  mark('start');
  const timer = setInterval(read, MEMORY_SAMPLE_MS);
  let stopped = false;
  return {
    mark,
    /** The phases with their peaks; the first call takes a last reading, later ones only return them. */
    stop() {
      if (!stopped) read();
      stopped = true;
      clearInterval(timer);
      return phases;
    },
  };
}

/** The phases' sampled peaks and each process's VmHWM, and the peak of the run: the larger of the two kinds. */
function memoryReport(phases, final) {
  const sampledPeak = Math.max(0, ...phases.map((p) => p.peakRssBytes));
  const hwmPeak = Math.max(0, ...final.processes.map((p) => p.peakRssBytes).filter(Number.isFinite));
  return {
    sampleMs: MEMORY_SAMPLE_MS,
    phases,
    sampledPeakRssBytes: sampledPeak,
    hwmPeakRssBytes: hwmPeak,
    peakRssBytes: Math.max(sampledPeak, hwmPeak),
    final,
  };
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
          body: Buffer.concat(chunks),
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
 * asserts every answer is 200, and records the body size plain and gzipped. `expect` lists
 * strings or patterns the page must contain (e.g. the signed-in reader's name).
 */
async function probe(origin, url, { headers = {}, expect = [] } = {}) {
  const answers = [];
  for (let i = 0; i < WARM_REQUESTS; i++) answers.push(await get(origin + url, headers));
  const bad = answers.find((a) => a.status !== 200);
  if (bad) throw new BenchError(`GET ${url} answered ${bad.status}, expected 200`);
  const html = answers.at(-1).body.toString('utf8');
  const missing = expect.filter((want) => (want instanceof RegExp ? !want.test(html) : !html.includes(want)));
  if (missing.length) {
    throw new BenchError(`GET ${url} answered 200 but does not match ${missing.map((m) => String(m)).join(', ')}`);
  }
  const gzipped = await get(origin + url, { ...headers, 'accept-encoding': 'gzip' });
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

/**
 * One wrk run. `headers` are sent with every request (a session cookie); `script` is a Lua file
 * and `env` extra environment for it. Secrets in headers are kept out of error messages.
 */
async function wrk(url, connections, seconds, { threads = WRK_THREADS, headers = [], script, env } = {}) {
  const options = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, `--timeout`, `${WRK_TIMEOUT_SECONDS}s`, '--latency'];
  if (script) options.push('-s', script);
  const args = [...options, ...headers.flatMap((header) => ['-H', header]), url];
  const label = `wrk ${[...options, ...headers.map((h) => `-H '${h.split(':')[0]}: ...'`), url].join(' ')}`;
  const result = await run('wrk', args, env ? { env: { ...process.env, ...env } } : {});
  if (result.code !== 0) throw new BenchError(`${label} failed (exit ${result.code}): ${result.stderr.trim()}`);
  return parseWrk(result.stdout, label);
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
  const elapsed = text.match(/\d+ requests in ([\d.]+)(us|ms|s|m|h)/);
  const figures = {
    requestsPerSec: number(/Requests\/sec:\s+([\d.]+)/),
    requests: number(/(\d+) requests in/),
    seconds: elapsed ? (Number(elapsed[1]) * TO_MS[elapsed[2]]) / 1000 : null,
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    // wrk counts any status >= 400 here; every page we measure must answer 200.
    non2xx: number(/Non-2xx or 3xx responses: (\d+)/) ?? 0,
    socketErrors: socket
      ? { connect: +socket[1], read: +socket[2], write: +socket[3], timeout: +socket[4] }
      : { connect: 0, read: 0, write: 0, timeout: 0 },
  };
  // Lines a Lua script printed in done() ("bench-writes <key> <value>"), by key.
  const script = Object.fromEntries([...text.matchAll(/^bench-writes (\S+) ?(.*)$/gm)].map((m) => [m[1], m[2]]));
  if (Object.keys(script).length) figures.script = script;
  if (figures.requestsPerSec === null || figures.p50Ms === null || figures.p99Ms === null || figures.seconds === null) {
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

/**
 * Warm-up run (figures discarded: JIT, caches and connections settle), then the measured run.
 * wrk counts only the requests that complete within its duration, so a page slower than the run
 * is long (one rendered per request, at 50 connections, on a busy machine) would show as few or no
 * requests at all: a measured run with fewer than MIN_REQUESTS_PER_CONNECTION per connection is
 * run again, once, long enough for that many at the rate it reached (at most MAX_RUN_SECONDS),
 * and that run is the one kept (marked with extendedFrom).
 */
async function measure(origin, url, connections, seconds, options = {}) {
  await wrk(origin + url, connections, WARMUP_SECONDS, options);
  const figures = await wrk(origin + url, connections, seconds, options);
  const wanted = MIN_REQUESTS_PER_CONNECTION * connections;
  if (figures.requests >= wanted) return figures;
  const longer = Math.min(MAX_RUN_SECONDS, Math.ceil(wanted / Math.max(figures.requestsPerSec, wanted / MAX_RUN_SECONDS)));
  if (longer <= seconds) return figures;
  console.log(`    ${url}: ${figures.requests} requests in ${seconds} s, too few; measuring again for ${longer} s ...`);
  const again = await wrk(origin + url, connections, longer, options);
  return { ...again, extendedFrom: { seconds, requests: figures.requests } };
}

/**
 * The origin: the page and its baseline at each connection count, measured back to back. The
 * probes check both answer 200 and record their sizes: the baseline only bounds the page if it
 * is as large (sizeRatio, printed).
 */
async function runOrigin(origin, seconds, notes) {
  const page = await probe(origin, ORIGIN.url);
  const baseline = await probe(origin, ORIGIN.baselineUrl);
  if (page.cacheHeader !== 'HIT') notes.push(`origin ${ORIGIN.url}: x-nextjs-cache ${page.cacheHeader ?? '-'} (expected HIT)`);
  const runs = [];
  for (const connections of CONNECTIONS) {
    console.log(`  ${ORIGIN.name}: ${connections} connections ...`);
    const pageFigures = await measure(origin, ORIGIN.url, connections, seconds);
    const baselineFigures = await measure(origin, ORIGIN.baselineUrl, connections, seconds);
    runs.push({
      connections,
      page: pageFigures,
      baseline: baselineFigures,
      ratio: rate(pageFigures.requestsPerSec, baselineFigures.requestsPerSec),
    });
  }
  return { ...ORIGIN, probes: { page, baseline }, sizeRatio: page.bodyBytes / baseline.bodyBytes, runs };
}

/** a / b, or null when b is zero (a run that completed nothing has no ratio). */
const rate = (a, b) => (b > 0 ? a / b : null);

// ---------------------------------------------------------------------------------------------
// Bench data, written straight into the database before the build
// ---------------------------------------------------------------------------------------------

const COMMENT_STEP_MS = 50_000; // one comment every 50 s on average: 1,000 over ~14 h, 100,000 over ~58 days
const RECENT_THREADS = 50; // most replies answer one of the latest threads

/** The bench's database, opened beside the server once it runs (WAL lets both work; writes wait their turn). */
function openBenchDb() {
  const db = new Database(path.join(ROOT, DB_PATH));
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  return db;
}

/** mulberry32: a small seeded generator, so every run writes the same discussion. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (rand, list) => list[Math.floor(rand() * list.length)];

const OPENINGS = ['', '', '', 'Honestly, ', 'I think ', 'Not sure, but ', 'Agreed: ', 'Fair point, though ', 'As a Redmi owner, '];
const SENTENCES = [
  'the Redmi Note 4 deserved every sale it got in India.',
  'a 70% jump in one quarter is impressive, but it is measured from a very weak Q1.',
  'shipments are not sales, so I would wait for the sell-through numbers.',
  'MIUI updates have been slow on my phone & that matters more to me than the hardware.',
  'the offline stores are what will decide whether this growth lasts.',
  'RMB 100 billion in revenue looks reachable if the global business keeps growing like this.',
  '100 million phones in 2018 is a bold target <3 but they have surprised people before.',
  'the Mi line still struggles against OnePlus and Samsung in the mid range.',
  'R&D spending is the part of the letter I would like to see in real numbers.',
  'supply problems hurt them badly last year; one more bad quarter and the story changes.',
  'Indonesia and Russia are interesting, but India is carrying most of it.',
  'the budget segment has thin margins, so revenue growth does not mean profit growth.',
  'I bought a Mi 6 last month and the camera is "good enough" for the price.',
  'their accessories and ecosystem products probably help more than people think.',
  'Lei Jun writing to employees is partly a message to investors before an IPO.',
  'competition from Oppo and Vivo in offline retail is fierce in India.',
  'if they fix after-sales service they could keep the #2 spot.',
  'battery life on the Redmi phones is the reason everyone in my family uses one.',
  'the next focus should be software quality, not just more models.',
  'I would like them to enter the US market, even with only a few phones.',
  "the numbers are great, but let's see what the next two quarters look like.",
  'flash sales made the phones hard to buy for a long time; that seems to be over now.',
  'a comparison with Huawei over the same period would put these numbers in context.',
  'the online-first model was their strength, and now they are copying the offline players.',
];

/** A comment of 100–600 characters from varied sentences, with the odd character that needs escaping. */
function commentText(rand) {
  const [min, max] = SEED.bodyChars;
  const target = min + Math.floor(rand() * (max - min + 1));
  let text = '';
  while (text.length < target) {
    const sentence = pick(rand, OPENINGS) + pick(rand, SENTENCES);
    text += (text ? ' ' : '') + sentence[0].toUpperCase() + sentence.slice(1);
  }
  return text.length <= max ? text : `${text.slice(0, text.lastIndexOf(' ', max - 1))}…`;
}

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

function insertUsers(db) {
  const insert = db.prepare(
    "INSERT INTO users (id, name, email, password_hash, role) VALUES (?, ?, ?, 'bench-no-login', 'reader')",
  );
  const users = Array.from({ length: SEED.users }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    return { id: crypto.randomUUID(), name: `Bench Reader ${n}`, email: `bench-reader-${n}@bench.invalid` };
  });
  db.transaction(() => users.forEach((u) => insert.run(u.id, u.name, u.email)))();
  return users;
}

/** A copy of the seeded article under another slug, with its questions and their poll choices. */
function copyArticle(db, sourceId, slug) {
  const insertArticle = db.prepare(
    `INSERT INTO articles (slug, title, summary, body_markdown, disclosure, source_label, source_url, published_at, content_hash, comment_count)
     SELECT ?, title, summary, body_markdown, disclosure, source_label, source_url, published_at, content_hash, 0
     FROM articles WHERE id = ? RETURNING id`,
  );
  const sourceQuestions = db.prepare('SELECT id, key, position, prompt, kind FROM questions WHERE article_id = ? ORDER BY position');
  const insertQuestion = db.prepare('INSERT INTO questions (article_id, key, position, prompt, kind) VALUES (?, ?, ?, ?, ?) RETURNING id');
  const copyChoices = db.prepare(
    'INSERT INTO question_choices (question_id, key, position, label) SELECT ?, key, position, label FROM question_choices WHERE question_id = ?',
  );
  return db.transaction(() => {
    const { id } = insertArticle.get(slug, sourceId);
    const questions = sourceQuestions.all(sourceId).map((q) => {
      const copy = insertQuestion.get(id, q.key, q.position, q.prompt, q.kind);
      copyChoices.run(copy.id, q.id);
      return { id: copy.id, kind: q.kind };
    });
    return { id, questions };
  })();
}

/**
 * The article's discussion in one transaction: ~70% threads (root_id = own id), ~30% replies
 * at depth 1 to an earlier thread of the same article (mostly a recent one), increasing
 * created_at, random scores; then the article's comment_count.
 */
function insertComments(db, article, users, rand) {
  const insert = db.prepare(
    `INSERT INTO comments (id, article_id, author_id, parent_id, root_id, reply_to_id, depth, question_id,
                           body_markdown, body_html, status, score, created_at, client_token)
     VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, 'visible', ?, ?, NULL)`,
  );
  const updateCount = db.prepare(
    "UPDATE articles SET comment_count = (SELECT count(*) FROM comments WHERE article_id = ? AND status = 'visible') WHERE id = ? RETURNING comment_count",
  );
  const openQuestions = article.questions.filter((q) => q.kind === 'open').map((q) => q.id);
  const start = Date.now() - article.comments * COMMENT_STEP_MS;
  const threads = [];
  return db.transaction(() => {
    let id = db.prepare('SELECT coalesce(max(id), 0) AS id FROM comments').get().id;
    for (let i = 0; i < article.comments; i++) {
      id += 1;
      const author = pick(rand, users).id;
      const body = commentText(rand);
      const html = `<p>${escapeHtml(body)}</p>`;
      const score = Math.floor(rand() * (SEED.maxScore + 1));
      const createdAt = start + i * COMMENT_STEP_MS + Math.floor(rand() * COMMENT_STEP_MS); // strictly increasing
      if (threads.length && rand() < SEED.replyShare) {
        const pool = rand() < 0.8 ? Math.min(threads.length, RECENT_THREADS) : threads.length;
        const thread = threads[threads.length - 1 - Math.floor(rand() * pool)];
        insert.run(id, article.id, author, thread.id, thread.id, 1, thread.questionId, body, html, score, createdAt);
      } else {
        const questionId = openQuestions.length && rand() < SEED.questionShare ? pick(rand, openQuestions) : null;
        insert.run(id, article.id, author, null, id, 0, questionId, body, html, score, createdAt);
        threads.push({ id, questionId });
      }
    }
    const { comment_count: commentCount } = updateCount.get(article.id, article.id);
    return { threads: threads.length, replies: article.comments - threads.length, commentCount };
  })();
}

/** Users and the commented copies of the article, written after the seed script has loaded the article. */
function seedBenchData() {
  const started = performance.now();
  const rand = seededRandom(SEED.randomSeed);
  const db = openBenchDb();
  try {
    const source = db.prepare('SELECT id FROM articles WHERE slug = ?').get(ARTICLE_SLUG);
    if (!source) throw new BenchError(`the seed did not load the article ${ARTICLE_SLUG}`);
    const users = insertUsers(db);
    const articles = BENCH_ARTICLES.map((spec) => {
      const copy = copyArticle(db, source.id, spec.slug);
      return { ...spec, id: copy.id, questions: copy.questions.length, ...insertComments(db, { ...spec, ...copy }, users, rand) };
    });
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { users, articles, seconds: (performance.now() - started) / 1000 };
  } finally {
    db.close();
  }
}

/**
 * A fresh database for the run, complete before the build because the baseline is prerendered
 * from it: migrated and seeded by the project's own seed script (what the server does at start,
 * where it then finds nothing to do), then the bench's users and comments.
 */
async function prepareDatabase() {
  resetDatabase();
  const seed = await run(process.execPath, [TSX_CLI, 'scripts/db-seed.ts'], { env: { ...process.env, DATABASE_PATH: DB_PATH } });
  if (seed.code !== 0) {
    process.stderr.write(seed.stdout + seed.stderr);
    throw new BenchError(`scripts/db-seed.ts failed on ${DB_PATH} (exit ${seed.code ?? seed.signal})`);
  }
  return seedBenchData();
}

function countComments(slug) {
  const db = openBenchDb();
  try {
    return db.prepare('SELECT count(*) AS n FROM comments WHERE article_id = (SELECT id FROM articles WHERE slug = ?)').get(slug).n;
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------------------------

/** The secret the server signs sessions with: AUTH_SECRET if given, else the one it generated beside the database. */
function authSecret() {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const secret = readOrNull(path.join(ROOT, AUTH_SECRET_PATH))?.trim();
  if (!secret) throw new BenchError(`${AUTH_SECRET_PATH} not found: the server should have written it on start`);
  return secret;
}

/** The value of the session cookie Auth.js would issue to this user (an encrypted JWT). */
function sessionToken(secret, userId) {
  return encode({ token: { sub: userId }, secret, salt: SESSION_COOKIE, maxAge: 3600 });
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// ---------------------------------------------------------------------------------------------
// Scale: 100,000 comments against 1,000
// ---------------------------------------------------------------------------------------------

/**
 * The 100,000-comment page against the 1,000-comment one, both rendered per request (a session
 * cookie), at each connection count, measured back to back. "Times slower" is the ratio of time
 * per request: at a fixed number of connections that is throughput(1k) / throughput(100k), which
 * counts every request of the run, where p50 alone (also given) would leave out the slow tail.
 */
async function runScale(origin, bench, seconds, notes) {
  const reader = bench.users[0];
  const cookie = `${SESSION_COOKIE}=${await sessionToken(authSecret(), reader.id)}`;
  // Rendered for this reader, so not from any cache: the header names them (their name alone
  // could come from one of their comments).
  const expect = [new RegExp(`Signed in as[\\s\\S]{0,400}?>${escapeRegExp(reader.name)}<`)];
  const [small, large] = [PAGE_ARTICLE, LARGE_ARTICLE];
  const probes = {};
  for (const article of [small, large]) {
    const url = `/articles/${article.slug}`;
    const found = await probe(origin, url, { headers: { cookie }, expect });
    if (found.cacheHeader) notes.push(`scale ${url}: x-nextjs-cache ${found.cacheHeader} (expected none: rendered per request)`);
    probes[article.label] = { url, ...found };
  }
  const options = { headers: [`Cookie: ${cookie}`] };
  const runs = [];
  for (const connections of CONNECTIONS) {
    const pages = {};
    for (const article of [small, large]) {
      console.log(`  scale ${article.label} comments, rendered per request: ${connections} connections ...`);
      pages[article.label] = await measure(origin, `/articles/${article.slug}`, connections, seconds, options);
    }
    const [a, b] = [pages[small.label], pages[large.label]];
    runs.push({ connections, pages, slowdown: rate(a.requestsPerSec, b.requestsPerSec), p50Slowdown: rate(b.p50Ms, a.p50Ms) });
  }
  return { ...SCALE, small: small.label, large: large.label, reader: { id: reader.id, name: reader.name }, probes, runs };
}

// ---------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------

const WRITE_SETTLE_MS = 250;
const WRITE_SETTLE_MAX_MS = 10_000;

/**
 * The article's comment rows once the writes still in flight when wrk stopped have landed:
 * counted until two readings WRITE_SETTLE_MS apart agree.
 */
async function settledCommentCount(slug) {
  let count = countComments(slug);
  for (let waited = 0; waited < WRITE_SETTLE_MAX_MS; waited += WRITE_SETTLE_MS) {
    await sleep(WRITE_SETTLE_MS);
    const now = countComments(slug);
    if (now === count) break;
    count = now;
  }
  return count;
}

/** One POST of a JSON body without keep-alive. */
function postJson(url, json, headers = {}) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(json);
    const req = http.request(
      url,
      {
        method: 'POST',
        agent: false,
        timeout: 10_000,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timed out: POST ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
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

async function runWrites(origin, bench, seconds) {
  const scenario = WRITE_SCENARIO;
  const secret = authSecret();
  const writers = bench.users.slice(0, scenario.writers);
  const tokens = await Promise.all(writers.map((user) => sessionToken(secret, user.id)));

  // One write before the load, so a refused one is reported with its answer rather than as a count.
  const first = await postJson(origin + scenario.url, { body: 'Bench: the first comment, posted before the load.' }, {
    cookie: `${SESSION_COOKIE}=${tokens[0]}`,
  });
  if (first.status !== 201) throw new BenchError(`POST ${scenario.url} as a bench writer answered ${first.status}: ${first.body.slice(0, 600)}`);

  const options = { threads: scenario.threads, script: scenario.script, env: { BENCH_SESSION_TOKENS: tokens.join(',') } };
  console.log(`  ${scenario.name}: ${scenario.writers} writers ...`);
  await wrk(origin + scenario.url, scenario.writers, WARMUP_SECONDS, options);
  const before = await settledCommentCount(scenario.slug);
  const figures = await wrk(origin + scenario.url, scenario.writers, seconds, options);
  const stored = (await settledCommentCount(scenario.slug)) - before;
  const { script = {}, ...load } = figures;
  return {
    ...scenario,
    users: writers.length,
    stored,
    storedPerSec: stored / figures.seconds,
    statuses: parseStatuses(script.statuses),
    firstError: script['first-error'] ?? null,
    load,
  };
}

/**
 * The same 50 writers, paced: each posts every writers / GOALS.writesPerSec seconds (together the
 * goal's rate), on its own keep-alive connection, from a random start. wrk's closed loop above
 * keeps every writer busy all the time, so it measures how many writes the server can take, and
 * its latencies are mostly time spent queued behind the other 49 (a trivial POST that Next
 * refuses at once shows the same tail there). This measures the latency a writer sees at the
 * goal's rate. Latency is counted from when a post was due, not when it was sent, so a writer
 * held up by a slow answer still counts the wait.
 */
async function runPacedWrites(origin, bench, seconds) {
  const scenario = WRITE_SCENARIO;
  const secret = authSecret();
  const writers = bench.users.slice(0, scenario.writers);
  const cookies = await Promise.all(writers.map(async (user) => `${SESSION_COOKIE}=${await sessionToken(secret, user.id)}`));
  const intervalMs = (scenario.writers / GOALS.writesPerSec) * 1000;
  const latencies = [];
  const statuses = {};
  let errors = 0;
  let firstError = null;

  const post = (agent, cookie, n) =>
    new Promise((resolve) => {
      const body = JSON.stringify({ body: `Paced bench comment ${n}: Redmi Note 4 shipments in India.` });
      const req = http.request(
        origin + scenario.url,
        { method: 'POST', agent, timeout: 10_000, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), cookie } },
        (res) => {
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () => {
            statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
            if (res.statusCode >= 300 && !firstError) firstError = `${res.statusCode} ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`;
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (error) => {
        errors += 1;
        firstError ??= String(error);
        resolve();
      });
      req.end(body);
    });

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

// ---------------------------------------------------------------------------------------------
// The edge: nginx in front of the server
// ---------------------------------------------------------------------------------------------

/** nginx lives in /usr/sbin on Debian, which is not on every user's PATH. */
function findNginx() {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    const file = path.join(dir, 'nginx');
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * deploy/nginx.conf with its placeholders filled in, plus the baseline's location: the article's
 * bytes from a file (article.html, and article.html.gz for clients that accept gzip).
 */
function renderEdgeConf({ listen, upstream }) {
  const template = readOrNull(path.join(ROOT, EDGE.template));
  if (template === null) throw new BenchError(`${EDGE.template} not found`);
  const missing = NGINX_PLACEHOLDERS.filter((p) => !template.includes(p));
  if (template.split(NGINX_EXTRA_MARKER).length !== 2) missing.push(`exactly one "${NGINX_EXTRA_MARKER}" line`);
  if (missing.length) throw new BenchError(`${EDGE.template} lacks ${missing.join(', ')}, which the bench fills in`);
  const values = {
    __LISTEN__: listen,
    __UPSTREAM__: upstream,
    __CACHE_DIR__: path.join(EDGE.dir, 'cache'),
    __RUN_DIR__: EDGE.dir,
  };
  const staticLocation = [
    `location = ${EDGE.staticUrl} {`,
    `            root ${path.join(EDGE.dir, 'static')};`,
    '            try_files /article.html =404;',
    '            default_type "text/html; charset=utf-8";',
    '            gzip_static on;',
    '        }',
  ].join('\n');
  let conf = template.replace(NGINX_EXTRA_MARKER, staticLocation);
  for (const [placeholder, value] of Object.entries(values)) conf = conf.replaceAll(placeholder, value);
  const file = path.join(EDGE.dir, 'nginx.conf');
  fs.writeFileSync(file, conf);
  return file;
}

/** `nginx -c <conf> -p <dir> -g 'daemon off;'`: the master stays our child, stopped by its PID. */
function startNginx(bin, conf, port) {
  const child = track(
    spawn(bin, ['-c', conf, '-p', `${EDGE.dir}/`, '-g', 'daemon off;'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const lines = [];
  const keep = (chunk) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const errorLog = () => (readOrNull(path.join(EDGE.dir, 'error.log')) ?? '').split('\n').filter(Boolean);
  const output = () => [...lines, ...errorLog().slice(-20)].join('\n');
  return { child, pid: child.pid, port, origin: `http://${HOST}:${port}`, output, errorLog };
}

async function waitForNginx(nginx) {
  const deadline = Date.now() + EDGE.readyTimeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (nginx.child.exitCode !== null || nginx.child.signalCode !== null) {
      throw new BenchError(`nginx exited (${nginx.child.exitCode ?? nginx.child.signalCode}) before answering`);
    }
    try {
      const { status } = await get(nginx.origin + EDGE.staticUrl);
      if (status === 200) return;
      last = `status ${status}`;
    } catch (error) {
      last = error.message;
    }
    await sleep(100);
  }
  throw new BenchError(`nginx did not answer GET ${EDGE.staticUrl} with 200 within ${EDGE.readyTimeoutMs / 1000} s (${last})`);
}

const headerLines = (headers) => Object.entries(headers).map(([name, value]) => `${name}: ${value}`);

/** A few GETs through the edge (the first may be a MISS); the last answer's size and X-Cache-Status. */
async function edgeProbe(origin, url, headers) {
  let answer;
  for (let i = 0; i < WARM_REQUESTS; i++) {
    answer = await get(origin + url, headers);
    if (answer.status !== 200) throw new BenchError(`GET ${url} through the edge answered ${answer.status}, expected 200`);
  }
  return {
    bodyBytes: answer.bytes,
    contentEncoding: answer.headers['content-encoding'] ?? null,
    cacheStatus: answer.headers['x-cache-status'] ?? null,
    warmResponseMs: answer.ms,
  };
}

/** A copy of the article with no comments, so a new one shows on its first page. */
function addFreshnessArticle(slug) {
  const db = openBenchDb();
  try {
    const source = db.prepare('SELECT id FROM articles WHERE slug = ?').get(ARTICLE_SLUG);
    copyArticle(db, source.id, slug);
  } finally {
    db.close();
  }
}

/** "HIT x 9, STALE, HIT": a run-length summary of the X-Cache-Status answers the poller saw. */
function runLengths(values) {
  const groups = [];
  for (const value of values) {
    const last = groups.at(-1);
    if (last && last.value === value) last.count += 1;
    else groups.push({ value, count: 1 });
  }
  return groups.map((g) => (g.count > 1 ? `${g.value} x ${g.count}` : g.value)).join(', ');
}

/**
 * Posts a comment at the origin through the JSON API, then polls the page through the edge (and,
 * for reference, at the origin) every pollMs until the comment's text appears in it. Times are
 * from the POST's 201 to the first answer that shows the comment. A sample that never shows
 * within timeoutMs ends the check (ok: false).
 *
 * nginx keeps cache times in whole seconds, so "s-maxage=1" keeps a copy fresh for 1 to 2 s
 * depending on when in the second it was stored; each sample after the first is posted a little
 * later after the edge's last refresh (the previous sample's), to see more than one point of it.
 */
async function edgeFreshness(origin, edgeOrigin, bench) {
  const { slug, samples, pollMs, goalMs, timeoutMs } = EDGE.freshness;
  const url = `/articles/${slug}`;
  addFreshnessArticle(slug);
  // Rendered at the origin, stored at the edge, then served from it.
  const warm = await edgeProbe(edgeOrigin, url, {});
  const writer = bench.users[1];
  const cookie = `${SESSION_COOKIE}=${await sessionToken(authSecret(), writer.id)}`;
  const results = [];
  for (let sample = 0; sample < samples; sample++) {
    const delayMs = Math.round((sample * 1000) / samples);
    await sleep(delayMs);
    const text = `Edge freshness check ${crypto.randomBytes(6).toString('hex')}`;
    const posted = await postJson(`${origin}/api/articles/${slug}/comments`, { body: text }, { cookie });
    const start = performance.now();
    if (posted.status !== 201) throw new BenchError(`POST /api/articles/${slug}/comments answered ${posted.status}: ${posted.body.slice(0, 600)}`);
    const commentStatus = JSON.parse(posted.body).comment?.status;
    if (commentStatus !== 'visible') throw new BenchError(`the freshness comment was stored as "${commentStatus}", not visible: it can never appear`);

    const seen = { edge: null, origin: null };
    const polls = [];
    for (let tick = 0; seen.edge === null || seen.origin === null; tick++) {
      const due = start + tick * pollMs;
      if (due - start > timeoutMs) break;
      await sleep(Math.max(0, due - performance.now()));
      const [atEdge, atOrigin] = await Promise.all([
        seen.edge === null ? get(edgeOrigin + url) : null,
        seen.origin === null ? get(origin + url) : null,
      ]);
      if (atEdge) {
        polls.push(`${atEdge.status === 200 ? '' : `${atEdge.status} `}${atEdge.headers['x-cache-status'] ?? '-'}`);
        if (atEdge.body.includes(text)) seen.edge = performance.now() - start;
      }
      if (atOrigin?.body.includes(text)) seen.origin = performance.now() - start;
    }
    results.push({ postedAfterMs: delayMs, edgeMs: seen.edge, originMs: seen.origin, polls: polls.length, cacheStatuses: runLengths(polls) });
    if (seen.edge === null) break;
  }
  const ok = results.length === samples && results.every((r) => r.edgeMs !== null);
  return {
    url,
    warmCacheStatus: warm.cacheStatus,
    pollMs,
    goalMs,
    timeoutMs,
    samples: results,
    maxEdgeMs: ok ? Math.max(...results.map((r) => r.edgeMs)) : null,
    ok,
  };
}

/**
 * Requests that must not be answered from the cache, nor leave anything in it: a session cookie
 * (the signed-in page, twice, then a signed-out request must not get it), the __Secure- cookie
 * name, and an RSC request (its 307 must not replace the page).
 */
async function edgeBypass(edgeOrigin, bench) {
  const url = EDGE.url;
  const reader = bench.users[0];
  const token = await sessionToken(authSecret(), reader.id);
  const signedIn = new RegExp(`Signed in as[\\s\\S]{0,400}?>${escapeRegExp(reader.name)}<`);
  const status = (answer) => answer.headers['x-cache-status'] ?? '-';
  const checks = [];

  const withCookie = [];
  for (let i = 0; i < 2; i++) withCookie.push(await get(edgeOrigin + url, { cookie: `${SESSION_COOKIE}=${token}` }));
  checks.push({
    name: 'session cookie',
    ok: withCookie.every((a) => a.status === 200 && status(a) === 'BYPASS' && signedIn.test(a.body.toString('utf8'))),
    detail:
      `${withCookie.map((a) => `${a.status} ${status(a)}`).join(', ')}; ` +
      `${withCookie.every((a) => signedIn.test(a.body.toString('utf8'))) ? `"Signed in as ${reader.name}"` : 'NOT the signed-in page'}`,
  });

  const secure = await get(edgeOrigin + url, { cookie: `theme=dark; __Secure-${SESSION_COOKIE}=${token}` });
  checks.push({
    name: `__Secure- cookie`,
    ok: secure.status === 200 && status(secure) === 'BYPASS',
    detail: `${secure.status} ${status(secure)}`,
  });

  const after = await get(edgeOrigin + url);
  const leaked = after.body.toString('utf8').includes('Signed in as');
  checks.push({
    name: 'signed out afterwards',
    ok: after.status === 200 && !leaked,
    detail: `${after.status} ${status(after)}; ${leaked ? 'LEAKED a signed-in page' : 'the signed-out page'}`,
  });

  const rsc = await get(edgeOrigin + url, { RSC: '1' });
  const page = await get(edgeOrigin + url);
  const isPage = page.status === 200 && page.body.toString('utf8').includes('<html');
  checks.push({
    name: 'RSC: 1 request',
    ok: status(rsc) === 'BYPASS' && isPage,
    detail: `${rsc.status} ${status(rsc)}; then signed out: ${page.status} ${status(page)}${isPage ? ', the page' : ', NOT the page'}`,
  });
  return checks;
}

/** X-Cache-Status per URL from the access log (flushed when nginx stops), which is then removed: it can be large. */
async function countEdgeLog(file) {
  const counts = {};
  if (!fs.existsSync(file)) return { counts, lines: 0 };
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let total = 0;
  for await (const line of lines) {
    total += 1;
    const match = line.match(/"[A-Z]+ (\S+) [^"]*" (\d{3}) \d+ cache=(\S+)/);
    if (!match || (match[1] !== EDGE.url && match[1] !== EDGE.staticUrl)) continue;
    const key = match[1] === EDGE.url ? 'page' : 'static';
    counts[key] ??= {};
    const label = `${match[2]} ${match[3]}`;
    counts[key][label] = (counts[key][label] ?? 0) + 1;
  }
  fs.rmSync(file, { force: true });
  return { counts, lines: total };
}

async function runEdge(origin, bench, seconds, notes) {
  const bin = findNginx();
  if (!bin) throw new BenchError('nginx is not installed; install it with: apt-get install -y nginx (or pass --no-edge)');
  const version = (await run(bin, ['-v'])).stderr.trim().replace(/^nginx version:\s*(nginx\/)?/, '');

  // A clean directory: no cache or logs from an earlier run. Readable by nginx's workers (www-data when root).
  fs.rmSync(EDGE.dir, { recursive: true, force: true });
  const staticDir = path.join(EDGE.dir, 'static');
  fs.mkdirSync(staticDir, { recursive: true });
  fs.chmodSync(EDGE.dir, 0o755);
  fs.chmodSync(staticDir, 0o755);
  // The baseline: the page's bytes as the origin sends them, plain and gzipped.
  const plain = await get(origin + EDGE.url);
  const gzipped = await get(origin + EDGE.url, { 'accept-encoding': 'gzip' });
  if (plain.status !== 200 || gzipped.status !== 200) throw new BenchError(`GET ${EDGE.url} at the origin answered ${plain.status}/${gzipped.status}`);
  const files = { 'article.html': plain.body };
  if (gzipped.headers['content-encoding'] === 'gzip') files['article.html.gz'] = gzipped.body;
  else notes.push(`edge: the origin sent ${EDGE.url} uncompressed to a gzip client; the static baseline has no .gz`);
  for (const [name, body] of Object.entries(files)) {
    fs.writeFileSync(path.join(staticDir, name), body);
    fs.chmodSync(path.join(staticDir, name), 0o644);
  }

  const port = await freePort(HOST);
  const conf = renderEdgeConf({ listen: `${HOST}:${port}`, upstream: new URL(origin).host });
  const nginx = startNginx(bin, conf, port);
  const stop = () => stopServer(nginx, STOP_GRACE_MS);
  cleanups.add(stop);
  console.log(`  edge: nginx ${version} pid ${nginx.pid} on ${nginx.origin} (${path.relative(ROOT, conf)}) ...`);
  const result = {
    nginx: { version, bin, conf: path.relative(ROOT, conf), template: EDGE.template, origin: nginx.origin, upstream: origin },
    url: EDGE.url,
    staticUrl: EDGE.staticUrl,
    staticFiles: Object.fromEntries(Object.entries(files).map(([name, body]) => [name, body.length])),
  };
  try {
    await waitForNginx(nginx);
    result.probes = {};
    for (const client of EDGE.clients) {
      result.probes[client.name] = {
        page: await edgeProbe(nginx.origin, EDGE.url, client.headers),
        static: await edgeProbe(nginx.origin, EDGE.staticUrl, client.headers),
      };
    }
    result.runs = [];
    for (const connections of CONNECTIONS) {
      for (const client of EDGE.clients) {
        console.log(`  edge ${client.name}: ${connections} connections ...`);
        const options = { headers: headerLines(client.headers) };
        const page = await measure(nginx.origin, EDGE.url, connections, seconds, options);
        const baseline = await measure(nginx.origin, EDGE.staticUrl, connections, seconds, options);
        result.runs.push({ client: client.name, connections, page, static: baseline, ratio: rate(page.requestsPerSec, baseline.requestsPerSec) });
      }
    }
    console.log('  edge: freshness and bypass checks ...');
    result.freshness = await edgeFreshness(origin, nginx.origin, bench);
    result.checks = await edgeBypass(nginx.origin, bench);
  } catch (error) {
    console.error(`\nnginx output:\n${nginx.output() || '(none)'}\n`);
    throw error;
  } finally {
    cleanups.delete(stop);
    await stop();
  }
  const problems = nginx.errorLog().filter((line) => /\[(error|crit|alert|emerg)\]/.test(line));
  if (problems.length) notes.push(`edge: ${problems.length} error line(s) in ${path.relative(ROOT, EDGE.dir)}/error.log, first: ${problems[0]}`);
  result.log = await countEdgeLog(path.join(EDGE.dir, 'access.log'));
  return result;
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
const fmtS = (ms, digits = 2) => (ms === null ? 'never' : `${(ms / 1000).toFixed(digits)} s`);
const fmtBytes = (n) => (n === null || Number.isNaN(n) ? 'n/a' : `${int.format(n)} B`);
const fmtKb = (n) => (n === null ? 'n/a' : `${(n / 1000).toFixed(1)} kB`);
const fmtMb = (n) => (Number.isFinite(n) && n > 0 ? `${(n / 1e6).toFixed(1)} MB` : 'n/a');
const fmtRatio = (n) => (n === null || !Number.isFinite(n) ? 'n/a' : n.toFixed(2));

function formatTable(headers, rows, leftColumns = 1) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  // First column left-aligned (names), the figures right-aligned; text columns can be put left too.
  const line = (cells) =>
    cells
      .map((c, i) => (i >= leftColumns ? c.padStart(widths[i]) : i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function report(results) {
  const { articles, seconds: seedSeconds, users } = results.benchData;
  const out = [
    '',
    `Benchmark: wrk -t${WRK_THREADS}, ${results.durationSeconds} s per run after a ${WARMUP_SECONDS} s warm-up; ` +
      `${results.machine.cpus} CPUs shared by the server, wrk and nginx`,
    `Data: ${int.format(users)} users; copies of the article with ${articles.map((a) => `${int.format(a.commentCount)}`).join(' and ')} ` +
      `comments (~${Math.round(SEED.replyShare * 100)}% replies), written into ${DB_PATH} in ${seedSeconds.toFixed(1)} s before the build`,
  ];
  out.push(...reportOrigin(results), ...reportScale(results), ...reportWrites(results), ...reportEdge(results), ...reportMemory(results));

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

function reportOrigin(results) {
  const o = results.origin;
  const { page, baseline } = o.probes;
  const size = (p) => `${fmtBytes(p.bodyBytes)} HTML (${fmtBytes(p.gzipBytes)} gzip), x-nextjs-cache ${p.cacheHeader ?? '-'}`;
  return [
    '',
    `Origin: the signed-out page with ${int.format(PAGE_ARTICLE.comments)} comments (Next's full-route cache) against ` +
      `${o.baselineUrl}, the same page prerendered at build time, served by the same next start`,
    `  page      ${o.url}: ${size(page)}`,
    `  baseline  ${o.baselineUrl}: ${size(baseline)}`,
    `  size      page / baseline = ${o.sizeRatio.toFixed(3)} (HTML bytes)`,
    '',
    formatTable(
      ['conns', 'page req/s', 'baseline req/s', 'ratio', 'page p50', 'page p99', 'base p50', 'base p99'],
      o.runs.map((r) => [
        String(r.connections),
        fmtRps(r.page.requestsPerSec),
        fmtRps(r.baseline.requestsPerSec),
        fmtRatio(r.ratio),
        fmtMs(r.page.p50Ms),
        fmtMs(r.page.p99Ms),
        fmtMs(r.baseline.p50Ms),
        fmtMs(r.baseline.p99Ms),
      ]),
    ),
    `ratio = page / baseline requests per second (goal ${GOALS.originRatio.toFixed(2)})`,
  ];
}

function reportScale(results) {
  const sc = results.scale;
  if (!sc) return [];
  const [s, l] = [sc.small, sc.large];
  const out = [
    '',
    `Scale: ${sc.probes[l].url} against ${sc.probes[s].url}, both rendered per request (${sc.description}; ` +
      `reader "${sc.reader.name}")`,
    '',
    formatTable(
      ['conns', `${s} req/s`, `${l} req/s`, 'times slower', `${s} p50`, `${s} p99`, `${l} p50`, `${l} p99`],
      sc.runs.map((r) => {
        const [a, b] = [r.pages[s], r.pages[l]];
        return [
          String(r.connections),
          fmtRps(a.requestsPerSec),
          fmtRps(b.requestsPerSec),
          fmtRatio(r.slowdown),
          fmtMs(a.p50Ms),
          fmtMs(a.p99Ms),
          fmtMs(b.p50Ms),
          fmtMs(b.p99Ms),
        ];
      }),
    ),
    `times slower = time per request ${l} / ${s} = ${s} req/s / ${l} req/s at the same connections (goal <= ${GOALS.scaleSlowdown.toFixed(2)}); ` +
      `by p50 alone: ${sc.runs.map((r) => `${fmtRatio(r.p50Slowdown)} @${r.connections}`).join(', ')}`,
    '',
  ];
  const articles = results.benchData.articles;
  out.push(
    formatTable(
      ['page', 'comments', 'HTML', 'gzip', 'first request', 'warm request', 'x-nextjs-cache'],
      [s, l].map((label) => {
        const p = sc.probes[label];
        const comments = articles.find((a) => a.label === label)?.commentCount ?? NaN;
        return [p.url, int.format(comments), fmtBytes(p.bodyBytes), fmtBytes(p.gzipBytes), fmtMs(p.firstResponseMs), fmtMs(p.warmResponseMs), p.cacheHeader ?? '-'];
      }),
    ),
  );
  return out;
}

function reportWrites(results) {
  return [...reportClosedLoopWrites(results), ...reportPacedWrites(results)];
}

function reportPacedWrites(results) {
  const w = results.pacedWrites;
  if (!w) return [];
  return [
    '',
    `Paced writes: the same ${w.writers} writers, each on its own keep-alive connection, posting every ${fmtMs((w.writers / w.targetPerSec) * 1000)} ` +
      `(together ${w.targetPerSec}/s), ${fmtS(w.seconds * 1000)} after a ${WARMUP_SECONDS} s warm-up; latency from when each post was due`,
    '',
    formatTable(
      ['writers', 'target/s', 'posts', 'stored', 'stored/s', 'p50', 'p90', 'p99', 'max', 'non-2xx', 'socket errors'],
      [[String(w.writers), String(w.targetPerSec), int.format(w.requests), int.format(w.stored), fmtRps(w.storedPerSec), fmtMs(w.p50Ms), fmtMs(w.p90Ms), fmtMs(w.p99Ms), fmtMs(w.maxMs), int.format(Object.entries(w.statuses).filter(([status]) => status >= 300).reduce((sum, [, n]) => sum + n, 0)), int.format(w.errors)]],
    ),
    ...(w.firstError ? [`First error: ${w.firstError}`] : []),
  ];
}

function reportClosedLoopWrites(results) {
  const w = results.writes;
  if (!w) return [];
  const f = w.load;
  const ok = Object.entries(w.statuses).filter(([status]) => status < 300).reduce((sum, [, n]) => sum + n, 0);
  const socket = Object.values(f.socketErrors).reduce((sum, n) => sum + n, 0);
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
          int.format(ok),
          int.format(f.non2xx),
          int.format(socket),
        ],
      ],
    ),
    `Statuses: ${Object.entries(w.statuses).map(([status, n]) => `${status} x ${int.format(n)}`).join(', ') || 'none recorded'}`,
    `stored/s = comments added to the article during the run (including writes still in flight when wrk stopped) / wrk's ${f.seconds.toFixed(2)} s`,
  ];
  if (w.firstError) out.push(`First error: ${w.firstError}`);
  return out;
}

function reportEdge(results) {
  const e = results.edge;
  if (!e) return [];
  const out = [
    '',
    `Edge: nginx ${e.nginx.version} configured by ${e.nginx.template} (rendered to ${e.nginx.conf}) on ${e.nginx.origin}, ` +
      `in front of ${e.nginx.upstream}; static = the same nginx serving the page's bytes from a file`,
    ...EDGE.clients.map((c) => `  ${c.name.padEnd(6)}${c.description}`),
    '',
    formatTable(
      ['client', 'conns', 'edge req/s', 'static req/s', 'ratio', 'edge p50', 'edge p99', 'static p50', 'static p99'],
      e.runs.map((r) => [
        r.client,
        String(r.connections),
        fmtRps(r.page.requestsPerSec),
        fmtRps(r.static.requestsPerSec),
        fmtRatio(r.ratio),
        fmtMs(r.page.p50Ms),
        fmtMs(r.page.p99Ms),
        fmtMs(r.static.p50Ms),
        fmtMs(r.static.p99Ms),
      ]),
    ),
    `ratio = edge / static requests per second (goal ${GOALS.edgeRatio.toFixed(2)}). Bodies: ${EDGE.clients
      .map((c) => `${c.name} ${fmtBytes(e.probes[c.name].page.bodyBytes)} edge (X-Cache-Status ${e.probes[c.name].page.cacheStatus ?? '-'}), ${fmtBytes(e.probes[c.name].static.bodyBytes)} static`)
      .join('; ')}`,
  ];
  const page = e.log.counts.page;
  if (page) {
    const total = Object.values(page).reduce((sum, n) => sum + n, 0);
    const shares = Object.entries(page)
      .sort((a, b) => b[1] - a[1])
      .map(([label, n]) => `${label} ${int.format(n)} (${((100 * n) / total).toFixed(2)}%)`);
    out.push(`Edge answers for ${e.url} (access log): ${shares.join(', ')}`);
  }
  const f = e.freshness;
  const freshness = f.ok
    ? `max ${fmtS(f.maxEdgeMs, 3)} (goal <= ${fmtS(f.goalMs)}: ${f.maxEdgeMs <= f.goalMs ? 'met' : 'MISSED'})`
    : `FAILED: not shown within ${fmtS(f.timeoutMs)}`;
  out.push(
    '',
    formatTable(
      ['edge check', 'result', 'detail'],
      [
        ['freshness', freshness, `${f.samples.length} new comments on ${f.url}, polled through the edge every ${f.pollMs} ms:`],
        ...f.samples.map((r, i) => [
          `  comment ${i + 1}`,
          fmtS(r.edgeMs, 3),
          `posted ${fmtS(r.postedAfterMs)} after the last refresh; at the origin after ${fmtS(r.originMs)}; edge answers: ${r.cacheStatuses}`,
        ]),
        ...e.checks.map((c) => [c.name, c.ok ? 'pass' : 'FAIL', c.detail]),
      ],
      3,
    ),
  );
  return out;
}

function reportMemory(results) {
  const m = results.memory;
  if (!m) return [];
  return [
    '',
    `Server memory: VmRSS summed over the next start process tree, sampled every ${m.sampleMs} ms; VmHWM per process at the end`,
    '',
    formatTable(
      ['phase', 'peak RSS', 'processes', 'samples'],
      m.phases.map((p) => [p.name, fmtMb(p.peakRssBytes), String(p.processes), String(p.samples)]),
    ),
    ...m.final.processes.map((p) => `VmHWM of pid ${p.pid} "${p.title}": ${fmtMb(p.peakRssBytes)}`),
    `Processes: ${m.final.note}`,
    `Peak RSS of the run: ${fmtMb(m.peakRssBytes)} (the larger of the tree's sampled peak, ${fmtMb(m.sampledPeakRssBytes)}, ` +
      `and the largest VmHWM, ${fmtMb(m.hwmPeakRssBytes)})`,
  ];
}

/** The edge checks that failed, as messages (empty when all passed or the edge did not run). */
function edgeFailures(results) {
  const e = results.edge;
  if (!e) return [];
  const failures = e.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
  if (!e.freshness.ok) {
    const last = e.freshness.samples.at(-1);
    failures.unshift(
      `freshness: a new comment was not shown through the edge within ${e.freshness.timeoutMs / 1000} s ` +
        `(edge answers: ${last?.cacheStatuses ?? 'none'})`,
    );
  }
  return failures;
}

/** Every measured wrk run with a label; `write` runs must also be free of socket errors. */
function measuredRuns(results) {
  const runs = [];
  for (const r of results.origin?.runs ?? []) {
    runs.push({ label: `origin page @${r.connections}`, figures: r.page, write: false });
    runs.push({ label: `origin baseline @${r.connections}`, figures: r.baseline, write: false });
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
  if (results.writes) runs.push({ label: `${results.writes.name} @${results.writes.writers}`, figures: results.writes.load, write: true });
  return runs;
}

/**
 * One row per goal of the issue: the figure, its baseline (when it has one), the ratio, the
 * target and whether it is met. Judged here only to be printed and stored; a missed goal never
 * fails the command.
 */
function summarize(results) {
  const rows = [];
  const row = (goal, measured, baseline, ratio, target, pass) => rows.push({ goal, measured, baseline, ratio, target, pass });
  const atLeast = (n, goal) => (n === null ? null : n >= goal);
  const origin = results.origin;
  for (const r of origin?.runs ?? []) {
    // Latencies as a fraction of the ceiling too (baseline / page), so one goal reads the same way for all three.
    row(`origin req/s @${r.connections}`, `${fmtRps(r.page.requestsPerSec)} req/s`, `${fmtRps(r.baseline.requestsPerSec)} req/s`, r.ratio, `>= ${GOALS.originRatio.toFixed(2)}`, atLeast(r.ratio, GOALS.originRatio));
    for (const key of ['p50Ms', 'p99Ms']) {
      const ratio = rate(r.baseline[key], r.page[key]);
      row(`origin ${key.slice(0, 3)} @${r.connections}`, fmtMs(r.page[key]), fmtMs(r.baseline[key]), ratio, `>= ${GOALS.originRatio.toFixed(2)}`, atLeast(ratio, GOALS.originRatio));
    }
  }
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
    const passed = edge.checks.filter((c) => c.ok).length;
    row('edge: signed-in never cached', `${passed}/${edge.checks.length} checks pass`, '-', null, 'all', passed === edge.checks.length);
  } else {
    row('edge', 'skipped (--no-edge)', '-', null, '-', null);
  }
  const w = results.writes;
  if (w) {
    const errors = w.load.non2xx + Object.values(w.load.socketErrors).reduce((sum, n) => sum + n, 0);
    row(`writes stored/s, ${w.writers} writers`, `${fmtRps(w.storedPerSec)}/s`, '-', null, `>= ${GOALS.writesPerSec}/s`, w.storedPerSec >= GOALS.writesPerSec);
    row(`writes p99, ${w.writers} flat out`, fmtMs(w.load.p99Ms), '-', null, '(queueing)', null);
    row(`writes errors, ${w.writers} writers`, `${int.format(errors)} (non-2xx + socket)`, '-', null, '0', errors === 0);
  }
  const paced = results.pacedWrites;
  if (paced) {
    const failed = paced.errors + Object.entries(paced.statuses).filter(([status]) => status >= 300).reduce((sum, [, n]) => sum + n, 0);
    row(`writes stored, paced`, `${int.format(paced.stored)} of ${int.format(paced.requests)} (${fmtRps(paced.storedPerSec)}/s)`, '-', null, 'every post', paced.stored === paced.requests);
    row(`writes p99, ${paced.writers} writers at ${paced.targetPerSec}/s`, fmtMs(paced.p99Ms), '-', null, `< ${GOALS.writesP99Ms} ms`, paced.p99Ms < GOALS.writesP99Ms);
    row(`writes errors, paced`, `${int.format(failed)} (non-2xx + socket)`, '-', null, '0', failed === 0);
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
    '        scale = time per request with 100,000 comments / with 1,000 (req/s of 1,000 / req/s of 100,000)',
  ];
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


function durationSeconds() {
  const raw = process.env.BENCH_DURATION ?? '10';
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1) throw new BenchError(`BENCH_DURATION must be a whole number of seconds, got "${raw}"`);
  return seconds;
}

async function main() {
  if (!onPath('wrk')) {
    console.error('wrk is not installed; install it with: apt-get install -y wrk');
    return 1;
  }
  const skipBuild = process.argv.includes('--no-build');
  const skipEdge = process.argv.includes('--no-edge');
  if (!skipEdge && !findNginx()) {
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

  const port = await freePort(HOST);
  const bind = await bindName(results.notes);
  const server = startServer(port, bind);
  const memory = sampleMemory(server);
  const stop = () => stopServer(server, STOP_GRACE_MS);
  cleanups.add(stop);
  console.log(`Server pid ${server.pid} on ${server.origin} (-H ${bind}), database ${DB_PATH}`);
  try {
    await waitUntilReady(server, `${server.origin}/`, READY_TIMEOUT_MS, BenchError);
    memory.mark('origin');
    results.origin = await runOrigin(server.origin, seconds, results.notes);
    memory.mark('scale');
    results.scale = await runScale(server.origin, bench, seconds, results.notes);
    memory.mark('writes');
    results.writes = await runWrites(server.origin, bench, seconds);
    results.pacedWrites = await runPacedWrites(server.origin, bench, seconds);
    if (skipEdge) results.notes.push('edge skipped (--no-edge)');
    else {
      memory.mark('edge');
      results.edge = await runEdge(server.origin, bench, seconds, results.notes);
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
