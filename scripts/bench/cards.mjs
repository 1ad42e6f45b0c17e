/* The social card: an article's card.png from Next's cache against the same card stored at build time. */
import { CARDS, CONNECTIONS, GOALS, PAGE_ARTICLE } from './config.mjs';
import { comparisonCells, fmtBytes, fmtMs, formatTable, int } from './format.mjs';
import { measure, probe, rate } from './measure.mjs';

/**
 * The card and its baseline at each connection count, back to back. The probe's first request
 * draws the card (nothing draws it before), so its time is the cost of one draw; the rest are
 * served from the cache. Both must be PNGs of the same size for the baseline to bound the card.
 */
export async function runCards(origin, seconds, notes) {
  const card = await probe(origin, CARDS.url);
  const baseline = await probe(origin, CARDS.baselineUrl);
  if (card.cacheHeader !== 'HIT') notes.push(`cards ${CARDS.url}: x-nextjs-cache ${card.cacheHeader ?? '-'} (expected HIT)`);
  if (card.bodyBytes !== baseline.bodyBytes) notes.push(`cards: the card is ${card.bodyBytes} B, its baseline ${baseline.bodyBytes} B (expected the same image)`);
  const runs = [];
  for (const connections of CONNECTIONS) {
    console.log(`  ${CARDS.name}: ${connections} connections ...`);
    const cardFigures = await measure(origin, CARDS.url, connections, seconds);
    const baselineFigures = await measure(origin, CARDS.baselineUrl, connections, seconds);
    runs.push({ connections, page: cardFigures, baseline: baselineFigures, ratio: rate(cardFigures.requestsPerSec, baselineFigures.requestsPerSec) });
  }
  return { ...CARDS, probes: { card, baseline }, runs };
}

export function reportCards(results) {
  const c = results.cards;
  if (!c) return [];
  const { card, baseline } = c.probes;
  return [
    '',
    `Social card: ${c.url} (${int.format(PAGE_ARTICLE.comments)}-comment article, Next's cache) against ${c.baselineUrl}, the same card stored at build time`,
    `  card      ${fmtBytes(card.bodyBytes)} PNG, x-nextjs-cache ${card.cacheHeader ?? '-'}, first request (drawn) ${fmtMs(card.firstResponseMs)}, cache-control ${card.cacheControl ?? '-'}`,
    `  baseline  ${fmtBytes(baseline.bodyBytes)} PNG`,
    '',
    formatTable(
      ['conns', 'card req/s', 'baseline req/s', 'ratio', 'card p50', 'card p99', 'base p50', 'base p99'],
      c.runs.map((r) => [String(r.connections), ...comparisonCells(r.page, r.baseline, r.ratio)]),
    ),
    `ratio = card / baseline requests per second (goal ${GOALS.cardRatio.toFixed(2)})`,
  ];
}

/** Summary rows: req/s and p99 as a share of the baseline's, at every connection count. */
export function summarizeCards(cards, row) {
  for (const r of cards?.runs ?? []) {
    const atLeast = (n) => (n === null ? null : n >= GOALS.cardRatio);
    row(`card req/s @${r.connections}`, `${int.format(r.page.requestsPerSec)} req/s`, `${int.format(r.baseline.requestsPerSec)} req/s`, r.ratio, `>= ${GOALS.cardRatio.toFixed(2)}`, atLeast(r.ratio));
    const p99 = rate(r.baseline.p99Ms, r.page.p99Ms);
    row(`card p99 @${r.connections}`, fmtMs(r.page.p99Ms), fmtMs(r.baseline.p99Ms), p99, `>= ${GOALS.cardRatio.toFixed(2)}`, atLeast(p99));
  }
}
