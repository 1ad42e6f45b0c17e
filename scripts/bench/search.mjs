/*
 * The search scenario (issue 17): /search?q= on the 100,000-comment database, and what the FTS5
 * index costs a comment write.
 *
 * Reads: wrk at 10 connections against the bench server itself, cycling through 20 queries
 * (scripts/bench-search.lua): common words, common pairs, rare words and no-match ones, each at
 * its canonical address (a 200, never the redirect). No shared cache answers: the bench talks to
 * `next start` directly (the nginx edge, which would keep a copy for s-maxage, is not in front).
 * - Signed out (the goal): as readers get them, from Next's page cache under the normalized
 *   query (proxy.ts, app/search/results/[key]); each query is rendered once, on its first
 *   request, and the scenario checks the later answers are cache hits.
 * - Signed in: the same 20 queries, each the stored page with the reader written into the header
 *   (app/search/reader).
 * - Rendered: the same 20 queries signed in, with the header that makes proxy.ts render them per
 *   request (x-render-for-reader), so every request runs the FTS queries and the render: what a
 *   search costs when no stored page can serve it.
 * - Baseline: /search with no query, rendered per request by the same server.
 *
 * Writes: two more servers on the same build, each on its own copy of the bench database: one as
 * shipped, one with the index's comment triggers dropped (the index is then not written at all).
 * 50 writers post through the JSON API (scripts/bench-writes.lua), the order swapped each round;
 * stored/s counted in each copy. The goal: with the index, at most 15% fewer stored/s (median round).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AUTH_SECRET_PATH, BENCH_DIR, BenchError, DB_PATH, GOALS, HOST, READY_TIMEOUT_MS, ROOT, STOP_GRACE_MS, WARMUP_SECONDS, WRITE_SCENARIO } from './config.mjs';
import { fmtMs, fmtRps, formatTable } from './format.mjs';
import { get, wrk } from './measure.mjs';
import { startServer } from './processes.mjs';
import { sessionCookie, sessionTokens, signedInAs } from './sessions.mjs';
import { freePort, readOrNull, sleep, stopServer, waitUntilReady } from '../lib/next-process.mjs';

export const SEARCH = {
  connections: 10,
  script: 'scripts/bench-search.lua',
  baselineUrl: '/search',
  // As a reader types them; `kind` is what the bench data makes of each.
  queries: [
    ...['the', 'redmi', 'india', 'phones', 'numbers'].map((q) => ({ q, kind: 'common word' })),
    ...['redmi note', 'offline stores', 'battery life', 'flash sales', 'next two quarters'].map((q) => ({ q, kind: 'common phrase' })),
    ...['ukraine', 'breakthrough', 'huawei context', 'ecosystem accessories', 'mi 6 camera'].map((q) => ({ q, kind: 'rare' })),
    ...['zeppelin', 'quokka blimp', 'redmi zeppelin', 'ukraine battery', 'samsung dirigible'].map((q) => ({ q, kind: 'no match' })),
  ],
};
const ROUNDS = 3;
/** Makes proxy.ts render a signed-in search per request (app/_lib/http/session-cookie.mjs RENDER_FOR_READER_HEADER). */
const RENDER = { 'x-render-for-reader': '1' };
const TRIGGERS = ['comments_fts_insert', 'comments_fts_update', 'comments_fts_delete'];

/** The canonical address of a query, as app/_lib/search/query.ts writes it (lower-case words, "+" between). */
const addressOf = (q) => `/search?${new URLSearchParams({ q: q.toLowerCase() }).toString()}`;

/** A copy of the bench database for one write server; `withoutIndex` drops the index's comment triggers. */
async function copyFor(name, withoutIndex) {
  const folder = path.join(BENCH_DIR, `search-${name}`);
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'bench.db');
  const source = new Database(path.join(ROOT, DB_PATH), { readonly: true });
  await source.backup(file);
  source.close();
  if (withoutIndex) {
    const db = new Database(file);
    for (const trigger of TRIGGERS) db.prepare(`drop trigger ${trigger}`).run();
    db.close();
  }
  return file;
}

/** Comments in the written article of one copy, once the writes in flight have landed. */
async function settledCount(file) {
  const count = () => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare('select count(*) from comments where article_id = (select id from articles where slug = ?)').pluck().get(WRITE_SCENARIO.slug);
    } finally {
      db.close();
    }
  };
  let last = count();
  for (let waited = 0; waited < 10_000; waited += 250) {
    await sleep(250);
    const now = count();
    if (now === last) break;
    last = now;
  }
  return last;
}

async function measureReads(origin, bench, seconds) {
  const reader = bench.users[bench.users.length - 1];
  const cookie = await sessionCookie(reader);
  const queries = [];
  for (const query of SEARCH.queries) {
    const url = addressOf(query.q);
    // Five in a row, one at a time, rendered: each query's own time, and a check of what it answers.
    const times = [];
    let answer;
    for (let i = 0; i < 5; i += 1) {
      answer = await get(origin + url, { cookie, ...RENDER });
      times.push(answer.ms);
    }
    if (answer.status !== 200) throw new BenchError(`GET ${url} answered ${answer.status}, expected 200 (a canonical address)`);
    if (!/'nonce-/.test(answer.headers['content-security-policy'] ?? '')) throw new BenchError(`GET ${url} with ${Object.keys(RENDER)[0]} was not rendered per request (no nonce)`);
    // Signed out: the first request renders and stores it, the next is answered from the page cache.
    const first = await get(origin + url);
    const stored = await get(origin + url);
    if (stored.headers['x-nextjs-cache'] !== 'HIT') throw new BenchError(`GET ${url} signed out was not a page-cache hit the second time (x-nextjs-cache: ${stored.headers['x-nextjs-cache']})`);
    if (first.status !== 200) throw new BenchError(`GET ${url} signed out answered ${first.status}`);
    const html = answer.body.toString('utf8');
    const hits = (html.match(/class="search-hit"/g) ?? []).length;
    const storedHits = (stored.body.toString('utf8').match(/class="search-hit"/g) ?? []).length;
    if (storedHits !== hits) throw new BenchError(`GET ${url}: ${storedHits} result(s) signed out, ${hits} rendered`);
    // Signed in: the stored page, the reader in its header.
    const mine = await get(origin + url, { cookie });
    if (!signedInAs(reader).test(mine.body.toString('utf8')) || /'nonce-/.test(mine.headers['content-security-policy'] ?? '')) {
      throw new BenchError(`GET ${url} signed in was not the stored page made the reader's`);
    }
    const articles = (html.match(/class="search-group__article"/g) ?? []).length;
    if (query.kind === 'no match' ? hits > 0 : hits + articles === 0) throw new BenchError(`GET ${url} (${query.kind}) found ${hits} comment(s), ${articles} article(s)`);
    times.sort((a, b) => a - b);
    queries.push({ ...query, url, hits, articles, medianMs: times[2], firstSignedOutMs: first.ms, storedMs: stored.ms, signedInMs: mine.ms, cacheControl: stored.headers['cache-control'] ?? null });
  }
  const run = async (paths, headers = []) => {
    const options = { script: SEARCH.script, headers, env: { BENCH_PATHS: paths.join('|') } };
    await wrk(origin + paths[0], SEARCH.connections, WARMUP_SECONDS, options);
    const { script = {}, ...load } = await wrk(origin + paths[0], SEARCH.connections, seconds, options);
    return { load, p95Ms: Number(script['p95-us']) / 1000 };
  };
  console.log(`  search: ${queries.length} queries at ${SEARCH.connections} connections, signed out ...`);
  const searched = await run(queries.map((q) => q.url));
  console.log(`  search: the same queries signed in ...`);
  const signedIn = await run(
    queries.map((q) => q.url),
    [`Cookie: ${cookie}`],
  );
  console.log(`  search: the same queries rendered per request ...`);
  const rendered = await run(
    queries.map((q) => q.url),
    [`Cookie: ${cookie}`, ...Object.entries(RENDER).map(([name, value]) => `${name}: ${value}`)],
  );
  // The baseline: the same page, layout and header with nothing searched (/search without q),
  // rendered per request by the same server: what any page rendered per request costs here.
  console.log(`  search: the page without a query (${SEARCH.baselineUrl}) at ${SEARCH.connections} connections ...`);
  const baseline = await run([SEARCH.baselineUrl]);
  return { queries, ...searched, signedIn, rendered, baseline };
}

async function measureWrites(bind, bench, seconds) {
  const writers = bench.users.slice(0, WRITE_SCENARIO.writers);
  // Sessions first, in the bench database, so both copies hold them.
  const tokens = await sessionTokens(writers);
  const secret = process.env.AUTH_SECRET ?? readOrNull(path.join(ROOT, AUTH_SECRET_PATH))?.trim();
  const servers = {};
  try {
    const files = { with: await copyFor('with', false), without: await copyFor('without', true) };
    for (const name of ['with', 'without']) {
      servers[name] = startServer(await freePort(HOST), bind, { DATABASE_PATH: path.relative(ROOT, files[name]), AUTH_SECRET: secret, LOG_LEVEL: 'warn', NOTIFY_OFF: '1' });
    }
    for (const server of Object.values(servers)) await waitUntilReady(server, `${server.origin}/`, READY_TIMEOUT_MS);
    const options = { threads: WRITE_SCENARIO.threads, script: WRITE_SCENARIO.script, env: { BENCH_SESSION_TOKENS: tokens.join(',') } };
    const run = async (name, duration) => {
      const before = await settledCount(files[name]);
      const { script = {}, ...load } = await wrk(servers[name].origin + WRITE_SCENARIO.url, WRITE_SCENARIO.writers, duration, options);
      const stored = (await settledCount(files[name])) - before;
      return { storedPerSec: stored / load.seconds, p99Ms: load.p99Ms, statuses: script.statuses ?? '', firstError: script['first-error'] ?? null };
    };
    for (const name of ['with', 'without']) await run(name, WARMUP_SECONDS);
    const rounds = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const order = round % 2 === 1 ? ['with', 'without'] : ['without', 'with'];
      console.log(`  search: comment writes with and without the index, ${order.join(' then ')} (round ${round} of ${ROUNDS}) ...`);
      const figures = {};
      for (const name of order) figures[name] = await run(name, seconds);
      rounds.push(figures);
    }
    const ratios = rounds.map((r) => r.with.storedPerSec / r.without.storedPerSec).sort((a, b) => a - b);
    // The index really was written on one side and not on the other.
    const indexed = Object.fromEntries(
      Object.entries(files).map(([name, file]) => {
        const db = new Database(file, { readonly: true });
        try {
          return [name, db.prepare("select count(*) from comments_fts where comments_fts match '\"bench\"'").pluck().get()];
        } finally {
          db.close();
        }
      }),
    );
    return { writers: writers.length, rounds, ratio: ratios[Math.floor(ratios.length / 2)], indexed };
  } finally {
    for (const server of Object.values(servers)) await stopServer(server, STOP_GRACE_MS);
  }
}

export async function runSearch(origin, bind, bench, seconds) {
  const reads = await measureReads(origin, bench, seconds);
  const writes = await measureWrites(bind, bench, seconds);
  return { reads, writes };
}

export function reportSearch(results) {
  const s = results.search;
  if (!s) return [];
  const { reads, writes } = s;
  return [
    '',
    `Search: /search?q= on the 100,000-comment database (${reads.queries.length} queries in turn), straight to \`next start\` ` +
      '(no shared cache in front), wrk -c10. Signed out, a search is rendered once and then served from the page cache; signed in, it is that page with ' +
      'the reader in the header; "rendered" is a signed-in search rendered per request (x-render-for-reader)',
    formatTable(
      ['query', 'kind', 'comments on page 1', 'article hits', 'rendered, median of 5', 'signed out: first', 'then (cache hit)', 'signed in'],
      reads.queries.map((q) => [q.q, q.kind, String(q.hits), String(q.articles), fmtMs(q.medianMs), fmtMs(q.firstSignedOutMs), fmtMs(q.storedMs), fmtMs(q.signedInMs)]),
    ),
    formatTable(
      ['at 10 connections', 'req/s', 'p50', 'p95', 'p99'],
      [
        ['the 20 queries in turn, signed out', fmtRps(reads.load.requestsPerSec), fmtMs(reads.load.p50Ms), fmtMs(reads.p95Ms), fmtMs(reads.load.p99Ms)],
        ...[
          ['the 20 queries in turn, signed in', reads.signedIn],
          ['the 20 queries in turn, rendered per request', reads.rendered],
        ].map(([label, r]) => [label, fmtRps(r.load.requestsPerSec), fmtMs(r.load.p50Ms), fmtMs(r.p95Ms), fmtMs(r.load.p99Ms)]),
        [`baseline: ${SEARCH.baselineUrl} (no query)`, fmtRps(reads.baseline.load.requestsPerSec), fmtMs(reads.baseline.load.p50Ms), fmtMs(reads.baseline.p95Ms), fmtMs(reads.baseline.load.p99Ms)],
      ],
    ),
    `goal p95 < ${GOALS.searchP95Ms} ms; Cache-Control sent for shared caches (not in front here): ${reads.queries[0].cacheControl}`,
    '',
    `Comment writes with and without the search index: ${writes.writers} writers, each server on its own copy of the database ` +
      `(without: the comments_fts triggers dropped), ${writes.rounds.length} rounds, the order swapped each round`,
    formatTable(
      ['round', 'with stored/s', 'without stored/s', 'with p99', 'without p99'],
      writes.rounds.map((r, i) => [`round ${i + 1}`, fmtRps(r.with.storedPerSec), fmtRps(r.without.storedPerSec), fmtMs(r.with.p99Ms), fmtMs(r.without.p99Ms)]),
    ),
    `median with/without ${writes.ratio.toFixed(2)} (goal >= ${(1 - GOALS.searchIndexCost).toFixed(2)}); comments the index finds for "bench": ` +
      `with ${writes.indexed.with}, without ${writes.indexed.without}`,
    ...writes.rounds.flatMap((r) => [r.with.firstError, r.without.firstError]).filter(Boolean).slice(0, 1).map((e) => `First error: ${e}`),
  ];
}

export function summarizeSearch(s, row) {
  if (!s) return;
  row('search p95 @10 (20 queries signed out; baseline: no query)', fmtMs(s.reads.p95Ms), fmtMs(s.reads.baseline.p95Ms), s.reads.p95Ms / s.reads.baseline.p95Ms, `< ${GOALS.searchP95Ms} ms`, s.reads.p95Ms < GOALS.searchP95Ms);
  const mine = s.reads.signedIn;
  row('search p95 @10 (the same signed in; baseline: no query)', fmtMs(mine.p95Ms), fmtMs(s.reads.baseline.p95Ms), mine.p95Ms / s.reads.baseline.p95Ms, `< ${GOALS.searchP95Ms} ms`, mine.p95Ms < GOALS.searchP95Ms);
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  row(
    'comment writes stored/s, search index with/without',
    `${fmtRps(median(s.writes.rounds.map((r) => r.with.storedPerSec)))}/s`,
    `${fmtRps(median(s.writes.rounds.map((r) => r.without.storedPerSec)))}/s`,
    s.writes.ratio,
    `>= ${(1 - GOALS.searchIndexCost).toFixed(2)}`,
    s.writes.ratio >= 1 - GOALS.searchIndexCost,
  );
}
