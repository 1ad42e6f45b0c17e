'use client';

import { useSyncExternalStore } from 'react';
import { timeAgo } from '@/app/_lib/format';

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
 * app/_components/timestamp.tsx, which formats `exact` on the server: no Intl formatter is
 * built in the browser (see app/_lib/format.ts for what the first one costs).
 */
export function RelativeTime({ iso, exact }: { iso: string; exact: string }) {
  const now = useSyncExternalStore(subscribeToClock, minuteNow, noClockOnServer);
  return (
    <time dateTime={iso} title={exact}>
      {now === null ? exact : timeAgo(Date.parse(iso), now)}
    </time>
  );
}
