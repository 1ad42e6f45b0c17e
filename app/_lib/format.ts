/*
 * Numbers and times as the pages show them, in English, without Intl. The first Intl formatter a
 * page builds loads ICU's locale data: Chromium measured 77 ms for `(5000).toLocaleString('en')`
 * and 47 ms for `new Intl.RelativeTimeFormat('en')`, each one blocking task, four times that on
 * Lighthouse's phone. The comment box and every timestamp hydrate on the article page, so these
 * few lines replace the formatters there; the server uses the same ones, so both agree.
 */

/** 5000 → "5,000". Whole numbers; anything else is shown as String() gives it. */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 ? `-${digits}` : digits;
}

/** "1 comment", "1,234 comments": the count and the noun, singular only for exactly one. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`;
}

const UNITS: [unit: string, seconds: number][] = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['week', 604_800],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/**
 * How long before `now` a moment was: "just now", "5 minutes ago", "yesterday", "last week",
 * "in 2 hours" for a clock that runs behind. The words Intl.RelativeTimeFormat gives for 'en'
 * with numeric: 'auto'.
 */
export function timeAgo(at: number, now: number): string {
  const seconds = Math.round((at - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) < size) continue;
    const n = Math.round(seconds / size);
    // Whole days and longer read as words when they are one away: "yesterday", "last week".
    if (Math.abs(n) === 1 && size >= 86_400) return unit === 'day' ? (n < 0 ? 'yesterday' : 'tomorrow') : `${n < 0 ? 'last' : 'next'} ${unit}`;
    return n < 0 ? `${countOf(-n, unit)} ago` : `in ${countOf(n, unit)}`;
  }
  return 'just now';
}
