'use client';

import { useActionState, type ComponentProps } from 'react';

/*
 * React writes action="" for a form whose action is a server action, which is invalid HTML.
 * useActionState's permalink is written as the action instead: the page the form is on, which
 * is where a post without JavaScript goes and where Next runs the action. React hands that
 * post's result to every form with the same action and permalink, so where a page repeats a
 * form (a vote per comment), each permalink ends in its own #fragment. Forms with state pass
 * their permalink to their own useActionState; these are for actions that only redirect.
 */

type RedirectAction = (previous: void, formData: FormData) => Promise<void>;

/** A form for a server action that answers with a redirect, posting to `permalink` without JavaScript. */
export function RedirectForm({ action, permalink, ...props }: Omit<ComponentProps<'form'>, 'action'> & { action: RedirectAction; permalink: string }) {
  const [, formAction] = useActionState(action, undefined, permalink);
  return <form {...props} action={formAction} />;
}
