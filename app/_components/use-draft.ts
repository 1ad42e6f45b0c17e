'use client';

import { useEffect, useRef, useState, useSyncExternalStore } from 'react';

/*
 * What a reader types into a comment, reply or edit box is kept in this browser as they type
 * (localStorage, one entry per article and box), so a reload, a sort or tab, a sign-in link or a
 * crash never loses it: the box gets it back when it is drawn again. A successful post clears
 * it. Signing out clears the site's storage (Clear-Site-Data on /signout), so the next person on
 * a shared computer does not find it. Without JavaScript nothing is kept here; the "Sign in to
 * post" button keeps a signed-out reader's text on the server instead.
 */

const PREFIX = 'draft:v1:';

/** The storage key of one box: the article, and what the box writes (a comment, an answer, a reply, an edit). */
export function draftKey(articleSlug: string, target: string): string {
  return `${PREFIX}${articleSlug}:${target}`;
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // blocked by the browser's settings
  }
}

const listeners = new Set<() => void>();
/**
 * The kept drafts, read from storage when the reader could see or reach a box: a box on screen
 * (or within a screen of it), or the reader's first scroll, tap, key or focus. Not while the page
 * loads: the first use of localStorage in a page is a synchronous wait for the browser to open
 * the site's storage (tens of milliseconds on a cold profile, the main thread blocked the whole
 * time), a long task even when it runs at idle. Null until read.
 */
let kept: Map<string, string> | null = null;
let reading = false;

function notify(): void {
  for (const listener of listeners) listener();
}

function readAll(): void {
  const all = new Map<string, string>();
  try {
    const store = storage();
    for (let i = 0; store && i < store.length; i++) {
      const key = store.key(i);
      if (key?.startsWith(PREFIX)) all.set(key, store.getItem(key) ?? '');
    }
  } catch {
    // unreadable storage: no drafts
  }
  kept = all;
  notify();
}

/** Another tab's change to a box shows here too, while this box is untouched. */
function onStorage(event: StorageEvent): void {
  if (!kept || !event.key?.startsWith(PREFIX)) return;
  if (event.newValue) kept.set(event.key, event.newValue);
  else kept.delete(event.key);
  notify();
}

function startReading(): void {
  if (reading) return;
  reading = true;
  disarm?.();
  window.addEventListener('storage', onStorage);
  if ('requestIdleCallback' in window) window.requestIdleCallback(readAll, { timeout: 1000 });
  else setTimeout(readAll, 200);
}

const REACHING = ['scroll', 'pointerdown', 'touchstart', 'keydown', 'focusin'] as const;
let disarm: (() => void) | null = null;

/** Reads the drafts once a box is near the screen or the reader starts using the page. */
function armReading(): void {
  if (reading || disarm) return;
  const options = { capture: true, passive: true } as const;
  for (const type of REACHING) window.addEventListener(type, startReading, options);
  let seen: IntersectionObserver | null = null;
  if ('IntersectionObserver' in window) {
    seen = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) startReading();
    }, { rootMargin: '100% 0px' });
    for (const box of document.querySelectorAll('form textarea')) seen.observe(box);
  } else {
    startReading();
  }
  disarm = () => {
    for (const type of REACHING) window.removeEventListener(type, startReading, options);
    seen?.disconnect();
  };
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  if (!kept) armReading();
  return () => {
    listeners.delete(onChange);
  };
}

function read(key: string): string {
  return kept?.get(key) ?? '';
}

/** Keeps `text` under `key` (an empty box removes it). False when the browser would not store it. */
export function writeDraft(key: string, text: string): boolean {
  if (text.trim()) kept?.set(key, text);
  else kept?.delete(key);
  const store = storage();
  let stored = false;
  try {
    if (text.trim()) store?.setItem(key, text);
    else store?.removeItem(key);
    stored = !!store;
  } catch {
    stored = false; // storage full
  }
  notify();
  return stored;
}

const nothingOnServer = () => '';

/**
 * One box's text, kept as it is typed. The box shows, in this order: what the reader typed since
 * it was drawn, the kept draft, or `initial` (what the server drew: empty, a draft kept on the
 * server, a comment's text to edit). Bind `text` and `change` to a controlled textarea.
 *
 * While the box holds text that was not sent, leaving the page asks first (`beforeunload`),
 * unless the reader is sending it (`sending()`). `away()` forgets it after a successful send.
 */
export function useDraft(key: string, initial: string) {
  // Read after hydration (the server has no drafts), so the first render matches the HTML.
  const saved = useSyncExternalStore(subscribe, () => read(key), nothingOnServer);
  const [typed, setTyped] = useState<string | null>(null);
  const text = typed ?? (saved || initial);
  const restored = typed === null && saved !== '' && saved !== initial;
  const leaving = useRef(false);
  const unsent = text.trim() !== '' && text !== initial;

  useEffect(() => {
    if (!unsent) return;
    const warn = (event: BeforeUnloadEvent) => {
      if (leaving.current) return;
      event.preventDefault();
      event.returnValue = ''; // what older browsers need to show the dialog
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsent]);

  return {
    key,
    text,
    /** What the reader typed since the box was drawn; null when untouched. */
    typed,
    restored,
    change(value: string) {
      leaving.current = false;
      setTyped(value);
      writeDraft(key, value);
    },
    /** The text is on its way (posted, or carried to sign in): leaving the page now loses nothing. */
    sending() {
      leaving.current = true;
    },
    /** The send came back (refused or not sent): the text is the reader's again, and kept. */
    back(value: string) {
      leaving.current = false;
      writeDraft(key, value);
    },
    /** The text was posted: the box starts empty (or at `next`) and nothing is kept. */
    away(next = '') {
      setTyped(next);
      writeDraft(key, '');
    },
    /** "Discard": the box goes back to what the server drew. */
    discard() {
      leaving.current = false;
      setTyped(initial);
      writeDraft(key, '');
    },
  };
}
