'use client';

import { useActionState, useRef } from 'react';
import { useFocusOnRefusal } from '@/app/_components/use-focus-on-refusal';
import { Field, FormMessage, SubmitButton } from '@/app/_components/form-controls';
import { idleState } from '@/app/_lib/http/action-state';
import { PASSWORD_MIN } from '@/app/_lib/limits';
import { followEmailLink } from './actions';

/** The one button a mailed link's page offers; a reset link's asks for the new password too. */
export function LinkForm({ token, button, pendingText, askPassword, email }: { token: string; button: string; pendingText: string; askPassword: boolean; email: string }) {
  const permalink = `/email-link?token=${encodeURIComponent(token)}`;
  const [state, action, pending] = useActionState(followEmailLink, idleState, permalink);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
  return (
    <form ref={formRef} action={action} className="form" noValidate aria-labelledby="link-heading">
      <input type="hidden" name="token" value={token} />
      {askPassword ? (
        <>
          {/* Lets a password manager store the new password under the right account. */}
          <input type="hidden" name="username" autoComplete="username" value={email} />
          <Field name="password" label="New password" type="password" autoComplete="new-password" required hint={`At least ${PASSWORD_MIN} characters.`} state={state} />
        </>
      ) : null}
      <FormMessage state={state} />
      <SubmitButton pending={pending} pendingText={pendingText}>
        {button}
      </SubmitButton>
    </form>
  );
}
