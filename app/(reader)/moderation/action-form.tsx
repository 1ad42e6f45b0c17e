'use client';

import { useActionState, useRef, type ReactNode } from 'react';
import { useFocusOnRefusal } from '@/app/_components/use-focus-on-refusal';
import { idleState, type ActionState } from '@/app/_lib/http/action-state';

/**
 * One moderation form: hidden fields, its own controls, a submit button with a pending label,
 * and the result announced beside it. Plain form posts, so the queue works without JavaScript.
 * `permalink` is where such a post goes (React writes it as the form's action): this page, at
 * the entry the form belongs to, so that the answer shows on this form and not on its siblings.
 *
 * With `confirm`, the form waits behind a disclosure ("Close discussion…") that says what the
 * action does, and its button is the confirmation: two steps, with or without JavaScript. The
 * result stays outside the disclosure, so it shows after a no-JavaScript post too.
 */
export function ActionForm({
  action,
  hidden,
  submit,
  pendingText,
  children,
  className,
  permalink,
  confirm,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  hidden: Record<string, string | number>;
  submit: string;
  pendingText: string;
  children?: ReactNode;
  className?: string;
  permalink: string;
  confirm?: { label: string; text: string };
}) {
  const [state, formAction, pending] = useActionState(action, idleState, permalink);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
  const result = <ActionResult state={state} />;
  const form = (
    <form ref={formRef} action={formAction} className={`mod-form ${className ?? ''}`}>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {confirm ? <p className="mod-form__confirm">{confirm.text}</p> : null}
      {children}
      <button type="submit" className="button button--small" disabled={pending}>
        {pending ? pendingText : submit}
      </button>
      {confirm ? null : result}
    </form>
  );
  if (!confirm) return form;
  return (
    <div className="mod-confirm">
      <details className="comment__details">
        <summary>{confirm.label}</summary>
        {form}
      </details>
      {result}
    </div>
  );
}

/** A moderation form's answer, announced beside it: its message, styled as an error when refused. */
export function ActionResult({ state }: { state: ActionState }) {
  const failed = state.status !== 'idle' && state.status !== 'ok';
  return (
    <span className={failed ? 'field__error' : 'form-message'} role="status">
      {state.status === 'idle' ? '' : state.message}
    </span>
  );
}
