/*
 * What the edge must get right besides speed: a new comment reaches signed-out readers within the
 * goal, even after a request with an oddly spaced session cookie, and signed-in or RSC requests
 * are never answered from the cache nor leave anything in it.
 */
import crypto from 'node:crypto';
import { sleep } from '../lib/next-process.mjs';
import { BenchError, EDGE, WARM_REQUESTS } from './config.mjs';
import { addEmptyArticle } from './data.mjs';
import { fmtS } from './format.mjs';
import { get, postJson } from './measure.mjs';
import { sessionCookie, signedInAs } from './sessions.mjs';

const cacheStatus = (answer) => answer.headers['x-cache-status'] ?? '-';

/** A few GETs through the edge (the first may be a MISS); the last answer's size and X-Cache-Status. */
export async function edgeProbe(origin, url, headers) {
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
 * Posts a comment at the origin through the JSON API as `cookie`'s reader, then polls the page
 * signed out through the edge (and, for reference, at the origin) every pollMs until the
 * comment's text appears in it, for at most timeoutMs. Times are from the POST's 201 to the first
 * answer that shows the comment (null: never). Throws if the comment is refused or held.
 */
async function postAndWatch(origin, edgeOrigin, slug, cookie) {
  const { pollMs, timeoutMs } = EDGE.freshness;
  const url = `/articles/${slug}`;
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
      polls.push(`${atEdge.status === 200 ? '' : `${atEdge.status} `}${cacheStatus(atEdge)}`);
      if (atEdge.body.includes(text)) seen.edge = performance.now() - start;
    }
    if (atOrigin?.body.includes(text)) seen.origin = performance.now() - start;
  }
  return { edgeMs: seen.edge, originMs: seen.origin, polls: polls.length, cacheStatuses: runLengths(polls) };
}

/**
 * How long new comments take to show through the edge. nginx keeps cache times in whole seconds,
 * so "s-maxage=1" keeps a copy fresh for 1 to 2 s depending on when in the second it was stored;
 * each sample after the first is posted a little later after the edge's last refresh (the
 * previous sample's), to see more than one point of it. A sample that never shows within
 * timeoutMs ends the check (ok: false).
 */
export async function edgeFreshness(origin, edgeOrigin, bench) {
  const { slug, samples, pollMs, goalMs, timeoutMs } = EDGE.freshness;
  const url = `/articles/${slug}`;
  addEmptyArticle(slug);
  // Rendered at the origin, stored at the edge, then served from it.
  const warm = await edgeProbe(edgeOrigin, url, {});
  const cookie = await sessionCookie(bench.users[1]);
  const results = [];
  for (let sample = 0; sample < samples; sample++) {
    const delayMs = Math.round((sample * 1000) / samples);
    await sleep(delayMs);
    const seen = await postAndWatch(origin, edgeOrigin, slug, cookie);
    results.push({ postedAfterMs: delayMs, ...seen });
    if (seen.edgeMs === null) break;
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
 * A fresh copy of the article is first requested through the edge with `Cookie: authjs.session-token =x`
 * (a space before "="), then a new comment must reach signed-out readers through the edge within
 * the freshness goal. Parsers that trim cookie names and parsers that do not disagree on whether
 * that request has a session; if the origin then answers with a long shared lifetime and the edge
 * stores it, every reader gets the stale page for that long.
 */
export async function spacedCookieFreshness(origin, edgeOrigin, bench) {
  const { slug, cookie } = EDGE.spacedCookie;
  const { goalMs, timeoutMs } = EDGE.freshness;
  const url = `/articles/${slug}`;
  addEmptyArticle(slug);
  const first = await get(edgeOrigin + url, { cookie });
  const firstAnswer = { status: first.status, cacheStatus: cacheStatus(first), cacheControl: first.headers['cache-control'] ?? null };
  const seen = await postAndWatch(origin, edgeOrigin, slug, await sessionCookie(bench.users[2]));
  const ok = first.status === 200 && seen.edgeMs !== null && seen.edgeMs <= goalMs;
  const detail =
    `GET ${url} with "Cookie: ${cookie}": ${firstAnswer.status} ${firstAnswer.cacheStatus}, Cache-Control "${firstAnswer.cacheControl ?? '-'}"; ` +
    `then a new comment, signed out through the edge: ${seen.edgeMs === null ? `not within ${fmtS(timeoutMs)}` : `after ${fmtS(seen.edgeMs, 3)}`} ` +
    `(goal <= ${fmtS(goalMs)}), at the origin after ${fmtS(seen.originMs, 3)}; edge answers: ${seen.cacheStatuses}`;
  return { url, cookie, firstAnswer, goalMs, timeoutMs, ...seen, ok, detail };
}

/**
 * Requests that must not be answered from the cache, nor leave anything in it: a session cookie
 * (the signed-in page, twice, then a signed-out request must not get it), the __Secure- cookie
 * name, and an RSC request (its 307 must not replace the page).
 */
export async function edgeBypass(edgeOrigin, bench) {
  const url = EDGE.url;
  const reader = bench.users[0];
  const cookie = await sessionCookie(reader);
  const signedIn = signedInAs(reader);
  const checks = [];

  const withCookie = [];
  for (let i = 0; i < 2; i++) withCookie.push(await get(edgeOrigin + url, { cookie }));
  checks.push({
    name: 'session cookie',
    ok: withCookie.every((a) => a.status === 200 && cacheStatus(a) === 'BYPASS' && signedIn.test(a.body.toString('utf8'))),
    detail:
      `${withCookie.map((a) => `${a.status} ${cacheStatus(a)}`).join(', ')}; ` +
      `${withCookie.every((a) => signedIn.test(a.body.toString('utf8'))) ? `"Signed in as ${reader.name}"` : 'NOT the signed-in page'}`,
  });

  const secure = await get(edgeOrigin + url, { cookie: `theme=dark; __Secure-${cookie}` });
  checks.push({
    name: `__Secure- cookie`,
    ok: secure.status === 200 && cacheStatus(secure) === 'BYPASS',
    detail: `${secure.status} ${cacheStatus(secure)}`,
  });

  const after = await get(edgeOrigin + url);
  const leaked = after.body.toString('utf8').includes('Signed in as');
  checks.push({
    name: 'signed out afterwards',
    ok: after.status === 200 && !leaked,
    detail: `${after.status} ${cacheStatus(after)}; ${leaked ? 'LEAKED a signed-in page' : 'the signed-out page'}`,
  });

  const rsc = await get(edgeOrigin + url, { RSC: '1' });
  const page = await get(edgeOrigin + url);
  const isPage = page.status === 200 && page.body.toString('utf8').includes('<html');
  checks.push({
    name: 'RSC: 1 request',
    ok: cacheStatus(rsc) === 'BYPASS' && isPage,
    detail: `${rsc.status} ${cacheStatus(rsc)}; then signed out: ${page.status} ${cacheStatus(page)}${isPage ? ', the page' : ', NOT the page'}`,
  });
  return checks;
}
