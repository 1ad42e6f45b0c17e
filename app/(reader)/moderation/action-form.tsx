'use client';

import { useActionState, type ReactNode } from 'react';
import { idleState, type ActionState } from '@/app/_lib/http/action-state';

/**
 * One moderation form: hidden fields, its own controls, a submit button with a pending label,
 * and the result announced beside it. Plain form posts, so the queue works without JavaScript.
 * `permalink` is where such a post goes (React writes it as the form's action): this page, at
 * the entry the form belongs to, so that the answer shows on this form and not on its siblings.
 */
export function ActionForm({
  action,
  hidden,
  submit,
  pendingText,
  children,
  className,
  permalink,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  hidden: Record<string, string | number>;
  submit: string;
  pendingText: string;
  children?: ReactNode;
  className?: string;
  permalink: string;
}) {
  const [state, formAction, pending] = useActionState(action, idleState, permalink);
  const failed = state.status !== 'idle' && state.status !== 'ok';
  return (
    <form action={formAction} className={`mod-form ${className ?? ''}`}>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {children}
      <button type="submit" className="button button--small" disabled={pending}>
        {pending ? pendingText : submit}
      </button>
      <span className={failed ? 'field__error' : 'form-message'} role="status">
        {state.status === 'idle' ? '' : state.message}
      </span>
    </form>
  );
}
