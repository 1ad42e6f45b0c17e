'use client';

import { useState } from 'react';
import type { ActionState } from '@/app/_lib/http/action-state';
import { commentTooLong } from '@/app/_lib/limits';
import type { useDraft } from './use-draft';
import { useHydrated } from './use-hydrated';

/**
 * What a comment box shows and the error that goes with it, one rule for the comment box and the
 * editor. Without JavaScript a refused send comes back as a new page with the text in the state.
 * Over the limit the box says so as the reader types, and the send waits (a paste is never cut);
 * a refusal from the server is about the text that was sent (`sent()`), and goes once the reader
 * changes it.
 */
export function useBodyField(draft: ReturnType<typeof useDraft>, state: ActionState) {
  const [sentText, setSentText] = useState<string | null>(null);
  const text = draft.typed === null && state.values?.body !== undefined ? state.values.body : draft.text;
  const length = [...text].length;
  const tooLong = useHydrated() ? commentTooLong(length) : null;
  const refused = state.fields?.body ?? (state.status !== 'idle' && state.status !== 'ok' ? state.message : undefined);
  const unchanged = draft.typed === null || draft.typed === sentText;
  return {
    text,
    length,
    tooLong,
    /** The text is the one last sent: its refusal (or preview) still applies. */
    unchanged,
    error: tooLong ?? (unchanged ? refused : undefined),
    sent: () => setSentText(draft.text),
  };
}
