'use client';

import { useActionState, useRef } from 'react';
import { useFocusOnRefusal } from '@/app/_components/use-focus-on-refusal';
import { Field, FormMessage } from '@/app/_components/form-controls';
import { idleState } from '@/app/_lib/http/action-state';
import { deleteAccountAction } from './actions';

const PERMALINK = '/profile/delete';

/**
 * The last step: the password (for an account that has one) and what becomes of the comments.
 * Neither choice is preselected: the reader says which.
 */
export function DeleteForm({ needsPassword, email }: { needsPassword: boolean; email: string }) {
  const [state, action, pending] = useActionState(deleteAccountAction, idleState, PERMALINK);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
  const choice = state.values?.comments;
  const choiceError = state.fields?.comments;
  return (
    <form ref={formRef} action={action} className="form" noValidate aria-labelledby="delete-heading">
      <fieldset className="delete-choices" aria-describedby={choiceError ? 'field-comments-error' : undefined}>
        <legend>What happens to your comments?</legend>
        <div className="delete-choice">
          <input type="radio" id="comments-remove" name="comments" value="remove" defaultChecked={choice === 'remove'} required />
          <label htmlFor="comments-remove">
            Remove my comments. Their text is erased; where others replied, a “deleted” placeholder keeps the replies in place.
          </label>
        </div>
        <div className="delete-choice">
          <input type="radio" id="comments-keep" name="comments" value="keep" defaultChecked={choice === 'keep'} required />
          <label htmlFor="comments-keep">Keep my comments, shown as written by “A former reader”. Nothing links them to you any more.</label>
        </div>
        {choiceError ? (
          <p id="field-comments-error" className="field__error">
            {choiceError}
          </p>
        ) : null}
      </fieldset>
      {needsPassword ? (
        <>
          {/* Lets a password manager offer this account's password. */}
          <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
          <Field name="password" label="Your password" type="password" autoComplete="current-password" required hint="To confirm that it is you." state={state} />
        </>
      ) : null}
      <FormMessage state={state} />
      <button type="submit" className="button button--danger" disabled={pending} aria-disabled={pending}>
        {pending ? 'Deleting your account…' : 'Delete my account'}
      </button>
    </form>
  );
}

/** Where the form was when the reader is no longer signed in: only the answer to their post. */
export function DeleteAnswer() {
  const [state] = useActionState(deleteAccountAction, idleState, PERMALINK);
  return state.message ? (
    <p className="notice notice--error" role="alert">
      {state.message}
    </p>
  ) : null;
}
