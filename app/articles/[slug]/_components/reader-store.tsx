'use client';

import { createContext, useContext, useSyncExternalStore } from 'react';
import type { ReaderState } from '@/app/_lib/comments/reader-layer';

/*
 * The reader's votes and poll answers, for the controls that show them. A page rendered for
 * this reader passes them in; a cached page made theirs on the way out carries them as JSON in
 * <script id="reader-state"> (app/_lib/comments/reader-page.ts), while its React payload is the
 * one cached for everyone. Hydration therefore starts from "nobody" and the page's JSON is read
 * right after, so the first render matches the HTML React expects.
 */
const ReaderContext = createContext<ReaderState | null>(null);

let written: { state: ReaderState | null } | undefined;

/** The JSON a cached page was given for this reader, read once per document. */
function fromDocument(): ReaderState | null {
  if (written === undefined) {
    const text = document.getElementById('reader-state')?.textContent;
    let state: ReaderState | null = null;
    try {
      state = text ? (JSON.parse(text) as ReaderState) : null;
    } catch {
      state = null;
    }
    written = { state };
  }
  return written.state;
}

const noUpdates = () => () => {};

export function ReaderProvider({ state, children }: { state: ReaderState | null; children: React.ReactNode }) {
  const fromPage = useSyncExternalStore(noUpdates, fromDocument, () => null);
  return <ReaderContext value={state ?? fromPage}>{children}</ReaderContext>;
}

/** The signed-in reader's state, or null when signed out (or not yet known). */
export function useReader(): ReaderState | null {
  return useContext(ReaderContext);
}
