'use client';

import { useActionState, useEffect, useRef } from 'react';
import { useFocusOnRefusal } from '@/app/_components/use-focus-on-refusal';
import { Field, FormMessage, SubmitButton } from '@/app/_components/form-controls';
import { idleState } from '@/app/_lib/http/action-state';
import { NAME_MAX, PASSWORD_MIN } from '@/app/_lib/limits';
import { signUp } from './actions';

export function SignUpForm({ callbackUrl, permalink }: { callbackUrl: string; permalink: string }) {
  const [state, action, pending] = useActionState(signUp, idleState, permalink);
  const formRef = useRef<HTMLFormElement>(null);
  const sentRef = useRef<HTMLHeadingElement>(null);
  useFocusOnRefusal(formRef, state);
  // The form is gone once the link is sent: focus moves to what replaced it.
  useEffect(() => {
    if (state.status === 'ok') sentRef.current?.focus();
  }, [state]);
  if (state.status === 'ok') {
    return (
      <section className="notice" aria-labelledby="signup-sent-heading">
        <h2 id="signup-sent-heading" ref={sentRef} tabIndex={-1}>
          Check your email
        </h2>
        <p role="status">{state.message}</p>
      </section>
    );
  }
  return (
    <form ref={formRef} action={action} className="form" noValidate aria-labelledby="signup-heading">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field
        name="name"
        label="Display name"
        autoComplete="nickname"
        maxLength={NAME_MAX * 2}
        required
        hint="Shown beside your comments."
        state={state}
      />
      <Field name="email" label="Email" type="email" autoComplete="email" required hint="Never shown to other readers. We send a link there to confirm it." state={state} />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        hint={`At least ${PASSWORD_MIN} characters.`}
        state={state}
      />
      <FormMessage state={state} />
      <SubmitButton pending={pending} pendingText="Sending the link…">
        Create account
      </SubmitButton>
    </form>
  );
}
