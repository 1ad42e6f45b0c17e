/* Number formats and the plain-text tables every part of the bench's report prints. */

export const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export const fmtRps = (n) => int.format(n);
export const fmtMs = (n) => `${n.toFixed(2)} ms`;
export const fmtS = (ms, digits = 2) => (ms === null ? 'never' : `${(ms / 1000).toFixed(digits)} s`);
export const fmtBytes = (n) => (n === null || Number.isNaN(n) ? 'n/a' : `${int.format(n)} B`);
export const fmtKb = (n) => (n === null ? 'n/a' : `${(n / 1000).toFixed(1)} kB`);
export const fmtMb = (n) => (Number.isFinite(n) && n > 0 ? `${(n / 1e6).toFixed(1)} MB` : 'n/a');
export const fmtRatio = (n) => (n === null || !Number.isFinite(n) ? 'n/a' : n.toFixed(2));

export function formatTable(headers, rows, leftColumns = 1) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  // First column left-aligned (names), the figures right-aligned; text columns can be put left too.
  const line = (cells) =>
    cells
      .map((c, i) => (i >= leftColumns ? c.padStart(widths[i]) : i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * The cells of a page measured against its baseline in one wrk run each: both rates, their ratio,
 * then p50 and p99 of the page and of the baseline.
 */
export function comparisonCells(page, baseline, ratio) {
  return [
    fmtRps(page.requestsPerSec),
    fmtRps(baseline.requestsPerSec),
    fmtRatio(ratio),
    fmtMs(page.p50Ms),
    fmtMs(page.p99Ms),
    fmtMs(baseline.p50Ms),
    fmtMs(baseline.p99Ms),
  ];
}

/** The sum of a { status: count } map's counts for the statuses `keep` accepts. */
export const countStatuses = (statuses, keep) =>
  Object.entries(statuses)
    .filter(([status]) => keep(Number(status)))
    .reduce((sum, [, n]) => sum + n, 0);
