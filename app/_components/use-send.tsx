'use client';

import { unstable_rethrow } from 'next/navigation';
import { useActionState, useState, useTransition, type FormEvent } from 'react';
import type { ActionState } from '@/app/_lib/http/action-state';

/** A send the browser could not complete: the request failed or the answer was not the action's. */
export type Unsent = { reason: string };

/** Why a send failed, in the reader's words. */
function reasonOf(error: unknown): string {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return 'you are offline';
  // fetch rejects with a TypeError when no answer came at all (network down, server restarting).
  if (error instanceof TypeError) return 'the connection to the site failed';
  return 'the site did not answer as expected';
}

/**
 * A server action behind a form that keeps working without JavaScript (React writes the form
 * for a plain post to `permalink`), and that with JavaScript never loses what the reader typed:
 * the script sends the form itself, so a request that fails (network down, server restarting)
 * comes back here as `unsent`, with the reason, instead of reaching the page's error boundary,
 * which would replace the whole page, and the text with it. The form's fields are left as they
 * are, so the text is still in its box for a retry. A redirect from the action is handed back to
 * Next, which follows it as it does for any form.
 *
 * Put `formAction` on the form's `action` and `onSubmit` on the form.
 */
export function useSend<S extends ActionState>(
  action: (state: Awaited<S>, data: FormData) => Promise<Awaited<S>>,
  initial: Awaited<S>,
  permalink: string,
  /** Called when a send comes back to the form (with the action's result, or none when it failed), not when the action redirects. */
  onBack?: (result?: Awaited<S>) => void,
  /** Called when the action redirects: the send went through and the reader is taken on. */
  onAway?: () => void,
) {
  const [formState, formAction, formPending] = useActionState<S, FormData>(action, initial, permalink);
  const [sent, setSent] = useState<Awaited<S> | null>(null);
  const [unsent, setUnsent] = useState<Unsent | null>(null);
  const [sending, startSending] = useTransition();
  const state = sent ?? formState;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    // Prevented, React does not run the form's action, but still shows the form as pending
    // (useFormStatus, with this data) while the transition started here runs.
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const data = new FormData(event.currentTarget, submitter);
    setUnsent(null);
    startSending(async () => {
      try {
        const result: Awaited<S> = await action(state, data);
        onBack?.(result);
        setSent(result);
      } catch (error) {
        try {
          unstable_rethrow(error);
        } catch (redirect) {
          onAway?.();
          throw redirect;
        }
        onBack?.();
        setUnsent({ reason: reasonOf(error) });
      }
    });
  }

  return { state, formAction, onSubmit, pending: formPending || sending, unsent };
}

/** "Couldn't send", the reason, and a Retry that sends the form again: for a form whose send failed. */
export function UnsentNotice({ unsent }: { unsent: Unsent | null }) {
  if (!unsent) return null;
  return (
    <p className="field__error comment-form__unsent" role="alert">
      Couldn’t send: {unsent.reason}. Your text is still here.{' '}
      <button type="submit" className="button button--quiet">
        Retry
      </button>
    </p>
  );
}
