'use client';

import Link from 'next/link';
import { useActionState, useRef } from 'react';
import { FormMessage } from '@/app/_components/form-controls';
import { useFocusOnRefusal } from '@/app/_components/use-focus-on-refusal';
import { useHydrated } from '@/app/_components/use-hydrated';
import { idleState, type ActionState } from '@/app/_lib/http/action-state';
import { subscribeAction } from '../actions';

/**
 * "Email me about new comments". Both states are in every reader's HTML (the page is shared);
 * the discussion's data-subscribed, from the reader's layer, says which one shows
 * (app/globals.css). After a press with JavaScript, the answer's state (data-now) decides.
 * `permalink` is the view it is drawn in: without JavaScript the form posts back to that page.
 */
export function SubscribeForm({ articleSlug, permalink, view, signInHref }: { articleSlug: string; permalink: string; view: string; signInHref: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(subscribeAction, idleState, permalink);
  const hydrated = useHydrated();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
  const now = state.status === 'ok' ? state.values?.subscribed : undefined;
  return (
    <div id="discussion-subscribe" className="subscribe" data-now={now}>
      <p className="c c-subscribe-signin">
        <Link href={signInHref}>Sign in to get an email about new comments</Link>
      </p>
      <form ref={formRef} action={action} className="subscribe__form" aria-label="Notifications of new comments">
        <input type="hidden" name="articleSlug" value={articleSlug} />
        <input type="hidden" name="_js" value={hydrated ? '1' : ''} />
        <input type="hidden" name="view" value={view} />
        <p className="c c-subscribed">You get an email about new comments here.</p>
        <button type="submit" name="want" value="on" className="button c c-subscribe" disabled={pending} aria-disabled={pending}>
          {pending ? 'Subscribing…' : 'Email me about new comments'}
        </button>
        <button type="submit" name="want" value="off" className="button c c-subscribed" disabled={pending} aria-disabled={pending}>
          {pending ? 'Saving…' : 'Stop emails about new comments'}
        </button>
        <FormMessage state={state} />
      </form>
    </div>
  );
}
