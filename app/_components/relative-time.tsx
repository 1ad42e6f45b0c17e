'use client';

import { useSyncExternalStore } from 'react';

const absolute = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

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
  for (const [unit, size] of steps) if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  return 'just now';
}

/**
 * A <time> with its exact moment in `datetime` and `title`. The server (and a reader without
 * JavaScript) sees the absolute UTC time, which stays true in a cached page; in the browser it
 * turns into "5 minutes ago" and keeps itself current.
 */
/** A clock that ticks once a minute, shared by every timestamp on the page. */
function subscribeToClock(onTick: () => void): () => void {
  const timer = setInterval(onTick, 30_000);
  return () => clearInterval(timer);
}
const minuteNow = () => Math.floor(Date.now() / 30_000) * 30_000;
const noClockOnServer = () => null;

export function RelativeTime({ iso }: { iso: string }) {
  const date = new Date(iso);
  const exact = `${absolute.format(date)} UTC`;
  const now = useSyncExternalStore(subscribeToClock, minuteNow, noClockOnServer);
  return (
    <time dateTime={iso} title={exact}>
      {now === null ? exact : ago(date, now)}
    </time>
  );
}
