/*
 * What an import did, per article, printed by `npm run import` and returned to tests.
 */

export type ArticleCounts = {
  /** Stored, including those held for review. */
  imported: number;
  held: number;
  /** Already stored by an earlier import (same source and source id), or twice in the file. */
  duplicates: number;
  /** Spam and trash skipped (WordPress; with --include-spam they are held instead). */
  spamOrTrash: number;
  /** Disqus isDeleted. */
  deleted: number;
  pingbacks: number;
  /** Replies whose parent is missing: stored as threads of their own. */
  orphans: number;
  /** Nothing left once the HTML was sanitized (a comment that was only a script). */
  empty: number;
};

export type ImportReport = {
  format: string;
  file: string;
  dryRun: boolean;
  /** By article slug. */
  articles: Map<string, ArticleCounts>;
  /** Source threads no article matched, by their address, with why and how many comments were skipped. */
  unmapped: Map<string, { comments: number; why: string }>;
  /** Comments the source gave no id (stored under a hash of their content, so a rerun finds them). */
  missingIds: number;
  total: number;
};

export const emptyCounts = (): ArticleCounts => ({ imported: 0, held: 0, duplicates: 0, spamOrTrash: 0, deleted: 0, pingbacks: 0, orphans: 0, empty: 0 });

const COLUMNS: [keyof ArticleCounts, string][] = [
  ['imported', 'imported'],
  ['held', 'held'],
  ['duplicates', 'duplicates'],
  ['spamOrTrash', 'spam/trash'],
  ['deleted', 'deleted'],
  ['pingbacks', 'pingbacks'],
  ['orphans', 'orphans'],
  ['empty', 'empty'],
];

/** The report as the command prints it: one row per article, then the unmapped threads. */
export function formatReport(report: ImportReport): string {
  const rows = [...report.articles].sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(7, ...rows.map(([slug]) => slug.length));
  const lines = [
    `${report.dryRun ? 'Dry run (nothing written): ' : ''}${report.format} ${report.file}: ${report.total} comment(s) read.`,
    ['article'.padEnd(width), ...COLUMNS.map(([, label]) => label)].join('  '),
  ];
  const total = emptyCounts();
  for (const [slug, counts] of rows) {
    lines.push([slug.padEnd(width), ...COLUMNS.map(([key, label]) => String(counts[key]).padStart(label.length))].join('  '));
    for (const [key] of COLUMNS) total[key] += counts[key];
  }
  lines.push(['total'.padEnd(width), ...COLUMNS.map(([key, label]) => String(total[key]).padStart(label.length))].join('  '));
  const unmapped = [...report.unmapped];
  const skipped = unmapped.reduce((n, [, u]) => n + u.comments, 0);
  lines.push(`unmapped: ${skipped} comment(s) in ${unmapped.length} thread(s), skipped${unmapped.length ? ' (map them with --map OLD_URL_OR_PATH=slug):' : '.'}`);
  for (const [link, u] of unmapped) lines.push(`  ${link}: ${u.comments} comment(s), ${u.why}`);
  if (report.missingIds) lines.push(`${report.missingIds} comment(s) had no id in the source: kept under a hash of their content, so importing again finds them.`);
  return lines.join('\n');
}
