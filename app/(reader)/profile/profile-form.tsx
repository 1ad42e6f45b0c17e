'use client';

import { useActionState, useRef } from 'react';
import { useFocusOnRefusal } from '@/app/_components/use-focus-on-refusal';
import { Field, FormMessage, SubmitButton } from '@/app/_components/form-controls';
import { idleState } from '@/app/_lib/http/action-state';
import { NAME_MAX } from '@/app/_lib/limits';
import { updateProfile } from './actions';

export function ProfileForm({ name }: { name: string }) {
  const [state, action, pending] = useActionState(updateProfile, idleState, '/profile'); // the permalink: this page
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
  return (
    <form ref={formRef} action={action} className="form" noValidate aria-labelledby="profile-heading">
      <Field
        name="name"
        label="Display name"
        defaultValue={name}
        autoComplete="nickname"
        maxLength={NAME_MAX * 2}
        required
        hint={`Shown beside your comments. Up to ${NAME_MAX} characters.`}
        state={state}
      />
      <FormMessage state={state} />
      <SubmitButton pending={pending} pendingText="Saving…">
        Save
      </SubmitButton>
    </form>
  );
}
