'use client';

import { useSyncExternalStore } from 'react';

/**
 * What the live poller last heard from the server, shared by the parts of the page that show
 * it (the "N new comments" bar and the poll results), so one request feeds them all.
 */
export type PollTotals = Record<string, Record<string, number>>;
export type LiveSnapshot = { since: number; newCount: number; polls: PollTotals | null };

let snapshot: LiveSnapshot = { since: 0, newCount: 0, polls: null };
const listeners = new Set<() => void>();

export function publishLive(next: LiveSnapshot): void {
  snapshot = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const serverSnapshot: LiveSnapshot = { since: 0, newCount: 0, polls: null };

export function useLive(): LiveSnapshot {
  return useSyncExternalStore(
    subscribe,
    () => snapshot,
    () => serverSnapshot,
  );
}
