/*
 * Measurement shared by every scenario: single requests (sizes, statuses, headers as they travel)
 * and wrk runs with their warm-up, parsed into figures.
 */
import http from 'node:http';
import {
  BenchError,
  MAX_RUN_SECONDS,
  MIN_REQUESTS_PER_CONNECTION,
  WARM_REQUESTS,
  WARMUP_SECONDS,
  WRK_THREADS,
  WRK_TIMEOUT_SECONDS,
} from './config.mjs';
import { run } from './processes.mjs';

/** Collects a response's body; resolves with its status, headers and bytes. */
function collect(res, started, resolve, reject) {
  const chunks = [];
  res.on('data', (chunk) => chunks.push(chunk));
  res.on('end', () => {
    const body = Buffer.concat(chunks);
    resolve({ status: res.statusCode, headers: res.headers, body, bytes: body.length, ms: performance.now() - started });
  });
  res.on('error', reject);
}

/** One GET without keep-alive or decompression, so byte counts are what travels on the wire. */
export function get(url, headers = {}, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get(url, { agent: false, headers, timeout: timeoutMs }, (res) => collect(res, started, resolve, reject));
    req.on('timeout', () => req.destroy(new Error(`timed out: ${url}`)));
    req.on('error', reject);
  });
}

/** One POST of a JSON body, without keep-alive unless given an agent; the answer's status and text. */
export function postJson(url, json, headers = {}, agent = false, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const body = JSON.stringify(json);
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        timeout: timeoutMs,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => collect(res, started, (answer) => resolve({ status: answer.status, body: answer.body.toString('utf8') }), reject),
    );
    req.on('timeout', () => req.destroy(new Error(`timed out: POST ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Warms a URL (the article renders from SQLite on its first request and is cached after that),
 * asserts every answer is 200, and records the body size plain and gzipped. `expect` lists
 * strings or patterns the page must contain (e.g. the signed-in reader's name): a page without
 * them throws, or with `strict: false` is returned with the ones it lacks in `missing`, for a
 * scenario whose figures still mean something then (it notes it).
 */
export async function probe(origin, url, { headers = {}, expect = [], strict = true } = {}) {
  const answers = [];
  for (let i = 0; i < WARM_REQUESTS; i++) answers.push(await get(origin + url, headers));
  const bad = answers.find((a) => a.status !== 200);
  if (bad) throw new BenchError(`GET ${url} answered ${bad.status}, expected 200`);
  const html = answers.at(-1).body.toString('utf8');
  const missing = expect.filter((want) => (want instanceof RegExp ? !want.test(html) : !html.includes(want)));
  if (missing.length && strict) {
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
    missing: missing.map((m) => String(m)),
  };
}

/**
 * One wrk run. `headers` are sent with every request (a session cookie); `script` is a Lua file
 * and `env` extra environment for it. Secrets in headers are kept out of error messages.
 */
export async function wrk(url, connections, seconds, { threads = WRK_THREADS, headers = [], script, env } = {}) {
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
  // Lines a Lua script printed in done() ("bench-writes <key> <value>", "bench-read ..."), by key.
  const script = Object.fromEntries([...text.matchAll(/^bench-(?:writes|read) (\S+) ?(.*)$/gm)].map((m) => [m[1], m[2]]));
  if (Object.keys(script).length) figures.script = script;
  if (figures.requestsPerSec === null || figures.p50Ms === null || figures.p99Ms === null || figures.seconds === null) {
    throw new BenchError(`could not read the output of ${label}:\n${text}`);
  }
  return figures;
}

export const socketErrorCount = (figures) => Object.values(figures.socketErrors).reduce((sum, n) => sum + n, 0);

export function errorSummary(figures) {
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
export async function measure(origin, url, connections, seconds, options = {}) {
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

/** a / b, or null when b is zero (a run that completed nothing has no ratio). */
export const rate = (a, b) => (b > 0 ? a / b : null);
