'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useTransition } from 'react';
import { publishLive, useLive, type PollTotals } from './live-store';

const POLL_MS = Number(process.env.NEXT_PUBLIC_LIVE_POLL_MS ?? 10_000);

/**
 * Live discussion without moving the page: every few seconds (while the tab is visible) it asks
 * a cheap endpoint how many comments arrived since the page was drawn, and offers them as
 * "N new comments, show them", announced politely to screen readers. Showing them re-renders
 * the page's server components in place. The same answer carries the poll totals, which the
 * poll results pick up from the live store.
 */
export function LiveUpdates({ articleSlug, latestId }: { articleSlug: string; latestId: number }) {
  const router = useRouter();
  // The count is for the page as drawn from `since`; a redraw with a newer latestId resets it.
  const live = useLive();
  const [pending, startTransition] = useTransition();
  const seen = useRef(latestId);
  useEffect(() => {
    seen.current = latestId;
  }, [latestId]);
  const count = live.since === latestId ? live.newCount : 0;

  useEffect(() => {
    let stopped = false;
    async function poll() {
      if (document.visibilityState !== 'visible') return;
      const since = seen.current;
      try {
        const response = await fetch(`/api/articles/${articleSlug}/comments?since=${since}`, { cache: 'no-store' });
        if (!response.ok || stopped) return;
        const data = (await response.json()) as { newCount: number; polls: PollTotals };
        publishLive({ since, newCount: data.newCount, polls: data.polls });
      } catch {
        // Offline for a moment: the next poll tries again.
      }
    }
    const timer = setInterval(poll, POLL_MS);
    document.addEventListener('visibilitychange', poll);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', poll);
    };
  }, [articleSlug]);

  return (
    <div className="live" aria-live="polite" aria-atomic="true">
      {count > 0 ? (
        <button type="button" className="button live__button" onClick={() => startTransition(() => router.refresh())} disabled={pending}>
          {pending ? 'Loading…' : `${count} new ${count === 1 ? 'comment' : 'comments'}, show ${count === 1 ? 'it' : 'them'}`}
        </button>
      ) : null}
    </div>
  );
}
