/*
 * What the bench measures and against which goals: its folders, the wrk settings, the generated
 * data and each scenario's definition. See scripts/bench.mjs for the run as a whole.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BENCH_DIR = path.join(ROOT, '.bench');
// Relative on purpose: next.config.js hands NEXT_DIST_DIR to distDir, which Next resolves from the project root.
export const DIST_DIR = '.bench/next';
export const DB_PATH = '.bench/bench.db';
/** Written by the server next to its database on start (app/_lib/auth-secret.ts), unless AUTH_SECRET is set. */
export const AUTH_SECRET_PATH = '.bench/auth-secret';
export const SESSION_COOKIE = 'authjs.session-token';
export const NEXT_BIN = path.join(ROOT, 'node_modules/next/dist/bin/next');
export const TSX_CLI = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
// Loopback only: the bench must never expose the server or load anything off this machine.
export const HOST = '127.0.0.1';

export const CONNECTIONS = [10, 50];
export const WRK_THREADS = 2;
// wrk's default of 2 s would drop (as "timeout" socket errors) the slow requests of a page rendered
// per request at 50 connections on a small machine, and leave them out of the latencies.
export const WRK_TIMEOUT_SECONDS = 30;
export const MIN_REQUESTS_PER_CONNECTION = 3;
export const MAX_RUN_SECONDS = 60;
export const WARMUP_SECONDS = 2;
export const WARM_REQUESTS = 3;
export const READY_TIMEOUT_MS = 60_000;
export const STOP_GRACE_MS = 5_000;

export class BenchError extends Error {
  name = 'BenchError';
}

export const ARTICLE_SLUG = 'xiaomi-q2-2017-smartphone-shipments';

/**
 * Copies of the seeded article, given this many generated comments each. The first is the page
 * every reading scenario measures (origin, edge) and the small side of the scale comparison; the
 * last is the large side.
 */
export const BENCH_ARTICLES = [
  { label: '1k', slug: 'bench-1k-comments', comments: 1_000 },
  { label: '100k', slug: 'bench-100k-comments', comments: 100_000 },
];
export const [PAGE_ARTICLE, LARGE_ARTICLE] = [BENCH_ARTICLES[0], BENCH_ARTICLES.at(-1)];
const PAGE_URL = `/articles/${PAGE_ARTICLE.slug}`;
/** Shape of the generated discussion: users, share of replies, share of threads answering a question. */
export const SEED = { users: 1_000, replyShare: 0.3, questionShare: 0.25, bodyChars: [100, 600], maxScore: 50, randomSeed: 20170706 };

/**
 * The origin: the signed-out 1,000-comment page, served from Next's full-route cache, against
 * the same page prerendered at build time (app/bench/baseline/page.tsx, built from the same rows)
 * and served by the same `next start`: Next's own ceiling for a page of that size.
 */
export const ORIGIN = { name: 'origin', url: PAGE_URL, baselineUrl: '/bench/baseline' };

/**
 * The social card of the same article (app/articles/[slug]/card.png: drawn by next/og on first
 * request, then served from Next's cache) against the same card drawn at build time
 * (app/bench/card-baseline/route.tsx) and served by the same `next start`.
 */
export const CARDS = { name: 'cards', url: `${PAGE_URL}/card.png`, baselineUrl: '/bench/card-baseline' };

/**
 * A signed-in reader's 1,000-comment page against the signed-out one (Next's full-route cache),
 * the same URL, back to back. Both runs use scripts/bench-read.lua: the signed-in one rotates
 * between `readers` session cookies (so a cache kept per reader could not flatter the figure),
 * the signed-out one sends none. It counts requests slower than `slowMs` (wrk's own default
 * timeout, which the bench raises to WRK_TIMEOUT_SECONDS so slow requests are measured). Every
 * connection is opened `openMs` before its first request (why: scripts/bench-read.lua); req/s
 * are counted over the run after that.
 */
export const SIGNED_IN = { name: 'signed-in', url: PAGE_URL, readers: 20, script: 'scripts/bench-read.lua', slowMs: 2_000, openMs: 500 };

/**
 * Comment scale: the 100,000-comment copy against the 1,000-comment one, both rendered on every
 * request: /articles/[slug]/signed-in with a session cookie is the page rendered for one reader
 * (no full-route cache), so each request pays the page's queries.
 */
export const SCALE = { description: 'the page rendered for one reader at /articles/[slug]/signed-in, per request, as a reader with a draft or a held comment gets it' };

/**
 * Signed-in writers posting comments through the JSON API, one wrk connection each, each request
 * as the next of the writers' users. They write to the seeded article, not to the measured
 * copies, so the order of the scenarios does not change the pages they read. The server runs
 * with COMMENT_RATE_LIMIT_DISABLED=1: the per-reader flood limits would otherwise refuse most of
 * the writes, and this measures how many comments the server can store, not the limits.
 */
export const WRITE_SCENARIO = {
  name: 'post comments',
  slug: ARTICLE_SLUG,
  url: `/api/articles/${ARTICLE_SLUG}/comments`,
  writers: 50,
  threads: 2,
  script: 'scripts/bench-writes.lua',
  /** Next's own floor for such a POST: the same body and session, nothing stored (app/bench/post-floor). */
  floorUrl: '/bench/post-floor',
};

/** What the issue asks for; the summary judges each figure against these, and nothing fails on them. */
export const GOALS = {
  originRatio: 0.8, // page / baseline requests per second (and baseline / page latency)
  cardRatio: 0.8, // social card / its build-time baseline, requests per second and p99
  scaleSlowdown: 1.2, // time per request, 100,000 comments / 1,000 comments
  edgeRatio: 0.8, // edge / static file requests per second
  edgeFreshnessMs: 2_000,
  writesPerSec: 200,
  writesP99Ms: 500,
  writesFloorRatio: 0.6, // comments stored per second / 201s per second from the POST floor
  signedInRatio: 0.5, // signed-in / signed-out requests per second, at every connection count
  signedInP99Ratio: 2.0, // signed-in p99 / signed-out p99, at the highest connection count
  signedInGzipRatio: 1.3, // signed-in / signed-out gzip bytes of the page
  signedInCacheControl: /\b(private|no-store)\b/, // a signed-in page must never be stored by a shared cache
  loggingRatio: 0.95, // cached page req/s with the request log and metrics on / off
  healthPerSec: 2_000, // /api/health and /api/ready requests per second
  searchP95Ms: 50, // /search?q= p95 at 10 connections, 20 queries on the 100,000-comment database
  searchIndexCost: 0.15, // comment writes/s the search index may cost (with / without >= 0.85)
};

/** How often the server's resident memory is read from /proc. */
export const MEMORY_SAMPLE_MS = 200;

/**
 * The edge: nginx configured by the file the project ships, in front of the bench's server,
 * serving the 1,000-comment page. Its baseline is the same nginx serving that page's bytes
 * (captured from the origin) from a file, so the ratio shows what
 * the proxy cache costs. Each client kind is measured: browsers (gzip) get the stored gzip copy,
 * plain clients the stored uncompressed one.
 */
export const EDGE = {
  name: 'edge',
  template: 'deploy/nginx.conf',
  // What the run leaves for inspection (the rendered nginx.conf and error.log). nginx itself runs
  // in a temporary folder: its workers (www-data when started as root) must read what it serves.
  keepDir: path.join(BENCH_DIR, 'nginx'),
  url: PAGE_URL,
  staticUrl: '/static-article.html',
  clients: [
    { name: 'gzip', description: 'Accept-Encoding: gzip, as every browser sends', headers: { 'Accept-Encoding': 'gzip' } },
    { name: 'plain', description: 'no Accept-Encoding', headers: {} },
  ],
  // A fresh copy of the article, so a new comment is on its first page (oldest first). Several
  // comments, posted at different points of the edge copy's one-second life.
  freshness: { slug: 'bench-edge-freshness', samples: 3, pollMs: 100, goalMs: GOALS.edgeFreshnessMs, timeoutMs: 10_000 },
  // Another fresh copy, first requested with a session cookie whose name is followed by a space:
  // a cookie parser that trims names sees a session, one that does not sees none, and the edge
  // must still show a new comment to signed-out readers within the freshness goal.
  spacedCookie: { slug: 'bench-edge-spaced-cookie', cookie: `${SESSION_COOKIE} =x` },
  readyTimeoutMs: 10_000,
};
/** What the bench fills in in deploy/nginx.conf, and the comment line it puts its own location at. */
export const NGINX_PLACEHOLDERS = ['__LISTEN__', '__UPSTREAM__', '__CACHE_DIR__', '__RUN_DIR__'];
export const NGINX_EXTRA_MARKER = '# __EXTRA_LOCATIONS__';

/** Routes whose first-load JavaScript is reported: the article, an empty-ish page, and the baseline. */
export const BUNDLE_ROUTES = ['/articles/[slug]', '/_not-found', '/bench/baseline'];

/** The scenarios `--only` can pick, in the order they run. */
export const PHASES = ['origin', 'cards', 'signed-in', 'scale', 'writes', 'operations', 'notify', 'search', 'edge'];
