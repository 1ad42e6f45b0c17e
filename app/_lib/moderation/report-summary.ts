import { REPORT_REASONS, type ReportReason } from '@/db/enums';
import { countOf } from '../format';

/**
 * A comment's reports in one line for the queue: "3 reports: spam ×2, abuse ×1". The reasons
 * most given come first, ties in the report form's order; who reported, and when, is listed
 * under it on demand.
 */
export function reportSummary(reports: readonly { reason: ReportReason }[]): string {
  const counts = new Map<ReportReason, number>();
  for (const { reason } of reports) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  const reasons = [...counts].sort(([a, x], [b, y]) => y - x || REPORT_REASONS.indexOf(a) - REPORT_REASONS.indexOf(b));
  return `${countOf(reports.length, 'report')}: ${reasons.map(([reason, n]) => `${reason} ×${n}`).join(', ')}`;
}
