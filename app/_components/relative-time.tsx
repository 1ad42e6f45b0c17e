'use client';

import { useSyncExternalStore } from 'react';

// Built on first use, after hydration: no formatter is needed to hydrate (the exact time comes
// from the server), and building one at load would only add to the page's start-up work.
let relative: Intl.RelativeTimeFormat | null = null;

function ago(date: Date, now: number): string {
  const seconds = Math.round((date.getTime() - now) / 1000);
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['week', 604_800],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  relative ??= new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of steps) if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  return 'just now';
}

/** A clock that ticks twice a minute, shared by every timestamp on the page. */
function subscribeToClock(onTick: () => void): () => void {
  const timer = setInterval(onTick, 30_000);
  return () => clearInterval(timer);
}
const minuteNow = () => Math.floor(Date.now() / 30_000) * 30_000;
const noClockOnServer = () => null;

/**
 * A <time> with its exact moment in `datetime` and `title`. The server (and a reader without
 * JavaScript) sees the absolute UTC time, `exact`, which stays true in a cached page; in the
 * browser it turns into "5 minutes ago" and keeps itself current. Use it through
 * app/_components/timestamp.tsx, which formats `exact` on the server: building an
 * Intl.DateTimeFormat with a time zone costs a phone's browser about 40 ms of one task (measured
 * in Chromium), most of the article page's blocking time beyond the framework's own.
 */
export function RelativeTime({ iso, exact }: { iso: string; exact: string }) {
  const now = useSyncExternalStore(subscribeToClock, minuteNow, noClockOnServer);
  return (
    <time dateTime={iso} title={exact}>
      {now === null ? exact : ago(new Date(iso), now)}
    </time>
  );
}
