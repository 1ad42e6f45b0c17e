'use client';

import { useActionState, useRef } from 'react';
import { useFocusOnRefusal } from '@/app/_components/use-focus-on-refusal';
import { Field, FormMessage, SubmitButton } from '@/app/_components/form-controls';
import { idleState } from '@/app/_lib/http/action-state';
import { PASSWORD_MIN } from '@/app/_lib/limits';
import { sendVerification, updateEmail, updatePassword } from './actions';

// Each form's permalink is this page, so each works as a plain form post too.

export function VerifyForm() {
  const [state, action, pending] = useActionState(sendVerification, idleState, '/profile');
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
  return (
    <form ref={formRef} action={action} className="form" aria-labelledby="verify-heading">
      <FormMessage state={state} />
      <SubmitButton pending={pending} pendingText="Sending…">
        Send a verification link
      </SubmitButton>
    </form>
  );
}

export function EmailForm() {
  const [state, action, pending] = useActionState(updateEmail, idleState, '/profile');
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
  return (
    <form ref={formRef} action={action} className="form" noValidate aria-labelledby="email-heading">
      <Field name="email" label="New email address" type="email" autoComplete="email" required hint="We send a link there; your address changes when you open it." state={state} />
      <FormMessage state={state} />
      <SubmitButton pending={pending} pendingText="Sending the link…">
        Change email
      </SubmitButton>
    </form>
  );
}

export function PasswordForm({ hasPassword, email }: { hasPassword: boolean; email: string }) {
  const [state, action, pending] = useActionState(updatePassword, idleState, '/profile');
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
  return (
    <form ref={formRef} action={action} className="form" noValidate aria-labelledby="password-heading">
      {/* Lets a password manager file the new password under this account. */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      {hasPassword ? <Field name="currentPassword" label="Current password" type="password" autoComplete="current-password" required state={state} /> : null}
      <Field name="password" label="New password" type="password" autoComplete="new-password" required hint={`At least ${PASSWORD_MIN} characters. Every other browser signed in to this account will be signed out.`} state={state} />
      <FormMessage state={state} />
      <SubmitButton pending={pending} pendingText="Saving…">
        {hasPassword ? 'Change password' : 'Set a password'}
      </SubmitButton>
    </form>
  );
}
