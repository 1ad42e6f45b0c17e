'use client';

import { useEffect, type RefObject } from 'react';
import type { ActionState } from '@/app/_lib/http/action-state';

/**
 * After a refusal, focus goes back into the form: to the field in error, else the chosen option,
 * else the form's button. A form disables its button while it sends, and a disabled element
 * drops focus to <body>, where a keyboard or screen-reader user would start again from the top.
 * Only focus left on <body> is moved: a reader who went elsewhere meanwhile stays there.
 */
export function useFocusOnRefusal(form: RefObject<HTMLElement | null>, state: ActionState): void {
  useEffect(() => {
    if (state.status === 'idle' || state.status === 'ok') return;
    if (document.activeElement && document.activeElement !== document.body) return;
    const within = form.current;
    if (!within) return;
    const target = ['[aria-invalid="true"]', 'input:checked', 'button[type="submit"]:not([hidden])']
      .map((selector) => within.querySelector<HTMLElement>(selector))
      .find((element) => element !== null);
    target?.focus();
  }, [form, state]);
}
