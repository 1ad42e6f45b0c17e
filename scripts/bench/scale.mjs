/* The scale scenario: the 100,000-comment page against the 1,000-comment one, both rendered per request. */
import { CONNECTIONS, GOALS, LARGE_ARTICLE, PAGE_ARTICLE, SCALE } from './config.mjs';
import { comparisonCells, fmtBytes, fmtMs, fmtRatio, formatTable, int } from './format.mjs';
import { measure, probe, rate } from './measure.mjs';
import { sessionCookie, signedInAs } from './sessions.mjs';

/**
 * Both pages rendered per request (a session cookie), at each connection count, measured back to
 * back. "Times slower" is the ratio of time per request: at a fixed number of connections that is
 * throughput(1k) / throughput(100k), which counts every request of the run, where p50 alone (also
 * given) would leave out the slow tail.
 */
export async function runScale(origin, bench, seconds, notes) {
  const reader = bench.users[0];
  const cookie = await sessionCookie(reader);
  // Rendered for this reader, so not from any cache.
  const expect = [signedInAs(reader)];
  const [small, large] = [PAGE_ARTICLE, LARGE_ARTICLE];
  const probes = {};
  for (const article of [small, large]) {
    const url = `/articles/${article.slug}/signed-in`;
    // The page rendered for this reader (a plain signed-in page load is the cached page with
    // their parts written in, measured by the signed-in scenario). Not strict: a page that does not
    // name its reader is noted rather than stopping the bench.
    const found = await probe(origin, url, { headers: { cookie }, expect, strict: false });
    if (found.cacheHeader) notes.push(`scale ${url}: x-nextjs-cache ${found.cacheHeader} (expected none: rendered per request)`);
    if (found.missing.length) {
      notes.push(`scale ${url}: the page does not name reader "${reader.name}" (${found.missing.join(', ')}): it may not be rendered per request any more; measured anyway`);
    }
    probes[article.label] = { url, ...found };
  }
  const options = { headers: [`Cookie: ${cookie}`] };
  const runs = [];
  for (const connections of CONNECTIONS) {
    const pages = {};
    for (const article of [small, large]) {
      console.log(`  scale ${article.label} comments, rendered per request: ${connections} connections ...`);
      pages[article.label] = await measure(origin, `/articles/${article.slug}/signed-in`, connections, seconds, options);
    }
    const [a, b] = [pages[small.label], pages[large.label]];
    runs.push({ connections, pages, slowdown: rate(a.requestsPerSec, b.requestsPerSec), p50Slowdown: rate(b.p50Ms, a.p50Ms) });
  }
  return { ...SCALE, small: small.label, large: large.label, reader: { id: reader.id, name: reader.name }, probes, runs };
}

export function reportScale(results) {
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
      sc.runs.map((r) => [String(r.connections), ...comparisonCells(r.pages[s], r.pages[l], r.slowdown)]),
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
