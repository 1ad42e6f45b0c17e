'use client';

import { useEffect, useRef } from 'react';

/*
 * A reader who posts is shown their comment where it landed. Without JavaScript the redirect's
 * #comment-ID does it: the browser scrolls there and :target highlights it. With JavaScript the
 * router follows the redirect inside the page, where :target does not fire and focus would be
 * left on <body>, so the form says an arrival is due (expectArrival) and, once the page holds the
 * comment, this scrolls to it, highlights it, focuses it and announces what happened.
 */

/**
 * What the next arrival announces, and since when it is due; module state, as it must outlive the
 * form's page (a reply's focused page). A minute later it is stale: nothing is arriving.
 */
let due: { announcement: string; since: number; target?: string } | null = null;
const STALE_MS = 60_000;

/**
 * The next drawing of the discussion shows what the reader asked for: the element `target` (an
 * element id), or else the comment the address's #comment-ID names.
 */
export function expectArrival(announcement: string, target?: string): void {
  due = { announcement, since: Date.now(), target };
}

export function cancelArrival(): void {
  due = null;
}

/** The announcement region, and the arrival itself, run whenever the discussion is drawn anew. */
export function Arrival({ latestId }: { latestId: number }) {
  const region = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    const id = /^#comment-(\d+)$/.exec(window.location.hash)?.[1];
    const named = due?.target ?? (id ? `comment-${id}` : null);
    const target = named ? document.getElementById(named) : null;
    if (!due || !target || Date.now() - due.since > STALE_MS) return;
    const { announcement } = due;
    due = null;
    target.setAttribute('tabindex', '-1');
    target.classList.add('comment--arrived');
    target.scrollIntoView({ block: 'center' });
    target.focus({ preventScroll: true });
    // The region exists already (it is rendered with the discussion, always empty for React), so
    // the change is read out.
    if (region.current) region.current.textContent = announcement;
    const fade = setTimeout(() => target.classList.remove('comment--arrived'), 4000);
    return () => clearTimeout(fade);
  }, [latestId]);
  return (
    <p ref={region} className="visually-hidden" role="status" />
  );
}
