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

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  // Another tab's change to the same box shows here too, while this box is untouched.
  window.addEventListener('storage', onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener('storage', onChange);
  };
}

function read(key: string): string {
  try {
    return storage()?.getItem(key) ?? '';
  } catch {
    return '';
  }
}

/** Keeps `text` under `key` (an empty box removes it). False when the browser would not store it. */
export function writeDraft(key: string, text: string): boolean {
  const store = storage();
  let kept = false;
  try {
    if (text.trim()) store?.setItem(key, text);
    else store?.removeItem(key);
    kept = !!store;
  } catch {
    kept = false; // storage full
  }
  for (const listener of listeners) listener();
  return kept;
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
  const kept = useSyncExternalStore(subscribe, () => read(key), nothingOnServer);
  const [typed, setTyped] = useState<string | null>(null);
  const text = typed ?? (kept || initial);
  const restored = typed === null && kept !== '' && kept !== initial;
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
