'use client';

import { useActionState, useEffect, useRef } from 'react';
import { useFocusOnRefusal } from './use-focus-on-refusal';
import { Field, FormMessage, SubmitButton } from './form-controls';
import { idleState, type ActionState } from '@/app/_lib/http/action-state';

type Props = {
  action: (previous: ActionState, formData: FormData) => Promise<ActionState>;
  permalink: string;
  labelledBy: string;
  button: string;
  pendingText: string;
};

/** One address in, one mailed link out: the forms for a sign-in link and a password reset. */
export function EmailRequestForm({ action: serverAction, permalink, labelledBy, button, pendingText }: Props) {
  const [state, action, pending] = useActionState(serverAction, idleState, permalink);
  const formRef = useRef<HTMLFormElement>(null);
  const sentRef = useRef<HTMLHeadingElement>(null);
  useFocusOnRefusal(formRef, state);
  useEffect(() => {
    if (state.status === 'ok') sentRef.current?.focus();
  }, [state]);
  return (
    <>
      {state.status === 'ok' ? (
        <section className="notice" aria-labelledby="request-sent-heading">
          <h2 id="request-sent-heading" ref={sentRef} tabIndex={-1}>
            Check your email
          </h2>
          <p role="status">{state.message}</p>
        </section>
      ) : null}
      <form ref={formRef} action={action} className="form" noValidate aria-labelledby={labelledBy}>
        <Field name="email" label="Email" type="email" autoComplete="email" required state={state} />
        {state.status === 'ok' ? null : <FormMessage state={state} />}
        <SubmitButton pending={pending} pendingText={pendingText}>
          {button}
        </SubmitButton>
      </form>
    </>
  );
}
