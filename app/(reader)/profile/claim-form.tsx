'use client';

import { useActionState, useRef } from 'react';
import { FormMessage, SubmitButton } from '@/app/_components/form-controls';
import { useFocusOnRefusal } from '@/app/_components/use-focus-on-refusal';
import { idleState } from '@/app/_lib/http/action-state';
import { claimImportedAction } from './actions';

/**
 * One button: the imported comments under the reader's confirmed address become theirs. A claim
 * redirects to the profile, which says how many moved; a refusal is said here.
 */
export function ClaimForm({ comments }: { comments: number }) {
  const [state, action, pending] = useActionState(claimImportedAction, idleState, '/profile#imported');
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
  return (
    <form ref={formRef} action={action} className="form" aria-labelledby="imported-heading">
      <FormMessage state={state} />
      <SubmitButton pending={pending} pendingText="Claiming…">
        {comments === 1 ? 'Claim this comment' : `Claim these ${comments} comments`}
      </SubmitButton>
    </form>
  );
}
