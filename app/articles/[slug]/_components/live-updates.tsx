'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, useTransition, type ReactNode } from 'react';
import { countOf } from '@/app/_lib/format';
import { expectArrival } from './arrival';
import { publishLive, useLive, type PollTotals } from './live-store';
import { loadNewComments } from './next-threads';

// Inlined by `next build`; declared and checked (a whole number of ms, at least 1000) in
// app/_lib/config.mjs, which a client component cannot import. Blank is the default there too.
const POLL_MS = Number(process.env.NEXT_PUBLIC_LIVE_POLL_MS || 10_000);

/**
 * Live discussion without moving the page: every few seconds (while the tab is visible) it asks
 * a cheap endpoint how many comments arrived since the page was drawn, and offers them in a pill
 * that stays in sight at the foot of the screen, "N new comments, show them", announced politely
 * to screen readers. Showing them draws the page again in place, where the new comments that
 * belong to this page of the discussion appear; the others (on another page of this order, or
 * under another question) show in a "New since you arrived" strip above the threads. Either
 * way the first one is scrolled to, highlighted and focused (arrival.tsx). The same answer
 * carries the poll totals, which the poll results pick up from the live store.
 */
export function LiveUpdates({ articleSlug, latestId, query }: { articleSlug: string; latestId: number; query: string }) {
  const router = useRouter();
  // The count is for the page as drawn from `since`; a redraw with a newer latestId resets it.
  const live = useLive();
  const [pending, startTransition] = useTransition();
  const seen = useRef(latestId);
  useEffect(() => {
    seen.current = latestId;
  }, [latestId]);
  const count = live.since === latestId ? live.newCount : 0;
  const [strip, setStrip] = useState<{ id: number; node: ReactNode }[]>([]);

  function show() {
    startTransition(async () => {
      const fresh = await loadNewComments(articleSlug, query, seen.current).catch(() => null);
      const first = fresh?.[0];
      if (fresh && first) {
        const away = fresh.filter((comment) => !comment.inPlace);
        setStrip((shown) => [...away, ...shown.filter((old) => !away.some((comment) => comment.id === old.id))]);
        expectArrival(`${countOf(fresh.length, 'new comment')} shown`, `${first.inPlace ? 'comment' : 'new'}-${first.id}`);
      }
      router.refresh();
    });
  }

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
    <>
      <div className="live" aria-live="polite" aria-atomic="true">
        {count > 0 ? (
          <button type="button" className="button live__button" onClick={show} disabled={pending}>
            {pending ? 'Loading…' : `${count} new ${count === 1 ? 'comment' : 'comments'}, show ${count === 1 ? 'it' : 'them'}`}
          </button>
        ) : null}
      </div>
      {strip.length > 0 ? (
        <section className="new-strip" aria-labelledby="new-strip-heading">
          <h3 id="new-strip-heading" className="new-strip__heading">
            New since you arrived
          </h3>
          <ol className="threads">
            {strip.map((comment) => (
              <li key={comment.id} className="comment-node">
                {comment.node}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}
