import type { InputHTMLAttributes, ReactNode } from 'react';
import type { ActionState } from '@/app/_lib/http/action-state';

type FieldProps = {
  name: string;
  label: string;
  state: ActionState;
  hint?: ReactNode;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'name' | 'id'>;

/** A labelled input whose error is tied to it with aria-describedby and aria-invalid. */
export function Field({ name, label, state, hint, defaultValue, ...input }: FieldProps) {
  const id = `field-${name}`;
  const error = state.fields?.[name];
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      <input
        id={id}
        name={name}
        defaultValue={state.values?.[name] ?? defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {error ? (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The form's overall result, announced to screen readers when it changes. */
export function FormMessage({ state }: { state: ActionState }) {
  const hasError = state.status !== 'idle' && state.status !== 'ok';
  return (
    <p className={`form-message ${hasError ? 'form-message--error' : 'form-message--ok'}`} role="status" aria-live="polite">
      {state.message ?? ''}
    </p>
  );
}

export function SubmitButton({ pending, children, pendingText }: { pending: boolean; children: ReactNode; pendingText: string }) {
  return (
    <button type="submit" className="button button--primary" disabled={pending} aria-disabled={pending}>
      {pending ? pendingText : children}
    </button>
  );
}

/** A refusal or error beside a control, announced at once. Renders nothing without a message. */
export function ErrorText({ message, id, as: Tag = 'p' }: { message: string | null | undefined; id?: string; as?: 'p' | 'span' }) {
  if (!message) return null;
  return (
    <Tag id={id} className="field__error" role="alert">
      {message}
    </Tag>
  );
}

/** Under a box whose text was brought back from this browser (use-draft.ts): says so, with a way to drop it. */
export function DraftRestored({ what, discard }: { what: 'unsent text' | 'unsaved changes'; discard: () => void }) {
  const plural = what === 'unsaved changes';
  return (
    <p className="field__hint comment-form__restored" role="status">
      Your {what} {plural ? 'were' : 'was'} restored.{' '}
      <button type="button" className="link-button" onClick={discard}>
        Discard {plural ? 'them' : 'it'}
      </button>
    </p>
  );
}
