'use client';

import { useActionState, useRef } from 'react';
import { useFocusOnRefusal } from '@/app/_components/use-focus-on-refusal';
import { Field, FormMessage, SubmitButton } from '@/app/_components/form-controls';
import { idleState } from '@/app/_lib/http/action-state';
import { signInWithPassword } from './actions';

export function SignInForm({ callbackUrl, permalink }: { callbackUrl: string; permalink: string }) {
  const [state, action, pending] = useActionState(signInWithPassword, idleState, permalink);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
  return (
    <form ref={formRef} action={action} className="form" noValidate aria-labelledby="signin-heading">
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field name="email" label="Email" type="email" autoComplete="email" required state={state} />
      <Field name="password" label="Password" type="password" autoComplete="current-password" required state={state} />
      <FormMessage state={state} />
      <SubmitButton pending={pending} pendingText="Signing in…">
        Sign in
      </SubmitButton>
    </form>
  );
}
