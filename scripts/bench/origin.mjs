/* The origin scenario: the signed-out page from Next's full-route cache against its prerendered baseline. */
import { CONNECTIONS, GOALS, ORIGIN, PAGE_ARTICLE } from './config.mjs';
import { comparisonCells, fmtBytes, formatTable, int } from './format.mjs';
import { measure, probe, rate } from './measure.mjs';

/**
 * The page and its baseline at each connection count, measured back to back. The probes check
 * both answer 200 and record their sizes: the baseline only bounds the page if it is as large
 * (sizeRatio, printed).
 */
export async function runOrigin(origin, seconds, notes) {
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

export function reportOrigin(results) {
  const o = results.origin;
  if (!o) return [];
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
      o.runs.map((r) => [String(r.connections), ...comparisonCells(r.page, r.baseline, r.ratio)]),
    ),
    `ratio = page / baseline requests per second (goal ${GOALS.originRatio.toFixed(2)})`,
  ];
}
