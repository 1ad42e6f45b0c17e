'use client';

import { useActionState } from 'react';
import { FormMessage } from '@/app/_components/form-controls';
import { idleState } from '@/app/_lib/http/action-state';
import { unsubscribeAction } from './actions';

/** Two buttons, one form: "this" (the link's thread or discussion) or every notification. */
export function UnsubscribeForm({ token, what, digest }: { token: string; what: string; digest: boolean }) {
  const [state, action, pending] = useActionState(unsubscribeAction, idleState);
  const done = state.status === 'ok';
  return (
    <form action={action} className="form" aria-labelledby="unsubscribe-heading">
      <input type="hidden" name="token" value={token} />
      <div className="choice-buttons">
        {digest ? null : (
          <button type="submit" name="what" value="scope" className="button button--primary" disabled={pending || done} aria-disabled={pending || done}>
            {pending ? 'Unsubscribing…' : `Stop emails about ${what}`}
          </button>
        )}
        <button type="submit" name="what" value="all" className="button" disabled={pending || done} aria-disabled={pending || done}>
          {pending ? 'Unsubscribing…' : 'Stop all notification emails'}
        </button>
      </div>
      <FormMessage state={state} />
    </form>
  );
}
