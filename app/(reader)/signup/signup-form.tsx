'use client';

import { useActionState, useRef } from 'react';
import { useFocusOnRefusal } from '@/app/_components/use-focus-on-refusal';
import { Field, FormMessage, SubmitButton } from '@/app/_components/form-controls';
import { idleState } from '@/app/_lib/http/action-state';
import { NAME_MAX, PASSWORD_MIN } from '@/app/_lib/limits';
import { signUp } from './actions';

export function SignUpForm({ callbackUrl, permalink }: { callbackUrl: string; permalink: string }) {
  const [state, action, pending] = useActionState(signUp, idleState, permalink);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
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
      <Field name="email" label="Email" type="email" autoComplete="email" required hint="Never shown to other readers." state={state} />
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
      <SubmitButton pending={pending} pendingText="Creating your account…">
        Create account
      </SubmitButton>
    </form>
  );
}
