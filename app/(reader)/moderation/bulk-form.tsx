'use client';

import { useActionState, useRef } from 'react';
import { useFocusOnRefusal } from '@/app/_components/use-focus-on-refusal';
import { idleState, type ActionState } from '@/app/_lib/http/action-state';
import { ActionResult } from './action-form';

/**
 * Approve or reject the ticked queue entries at once. The checkboxes sit in their entries and
 * belong to this form (`id`) through `form=`, so it is one plain form post, with or without JavaScript;
 * the button pressed sends the decision.
 */
export function BulkForm({ id, action }: { id: string; action: (state: ActionState, formData: FormData) => Promise<ActionState> }) {
  const [state, formAction, pending] = useActionState(action, idleState, '/moderation#queue-heading');
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
  return (
    <form ref={formRef} id={id} action={formAction} className="mod-form queue__bulk" aria-label="Selected comments">
      <button type="submit" name="decision" value="approve" className="button button--small" disabled={pending}>
        {pending ? 'Deciding…' : 'Approve selected'}
      </button>
      <button type="submit" name="decision" value="reject" className="button button--small" disabled={pending}>
        {pending ? 'Deciding…' : 'Reject selected'}
      </button>
      <ActionResult state={state} />
    </form>
  );
}
