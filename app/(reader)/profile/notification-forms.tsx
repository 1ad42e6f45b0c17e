'use client';

import Link from 'next/link';
import { useActionState, useRef } from 'react';
import { FormMessage, SubmitButton } from '@/app/_components/form-controls';
import { useFocusOnRefusal } from '@/app/_components/use-focus-on-refusal';
import { idleState } from '@/app/_lib/http/action-state';
import { setReplyMailAction, unsubscribeDiscussionAction } from './actions';

export function ReplyMailForm({ on }: { on: boolean }) {
  const [state, action, pending] = useActionState(setReplyMailAction, idleState, '/profile#notifications');
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
  const checked = state.status === 'ok' ? state.values?.notifyReplies === 'on' : on;
  return (
    <form ref={formRef} action={action} className="form" aria-labelledby="reply-mail-label">
      <div className="field field--checkbox">
        {/* Keyed by the saved value, so the box shows what was saved after a press. */}
        <input key={String(checked)} id="field-notifyReplies" type="checkbox" name="notifyReplies" defaultChecked={checked} />
        <label id="reply-mail-label" htmlFor="field-notifyReplies">
          Email me about replies to my comments and answers in threads I started
        </label>
      </div>
      <FormMessage state={state} />
      {/* Named for what it saves: the profile has another form whose button would otherwise also read "Save". */}
      <SubmitButton pending={pending} pendingText="Saving…">
        Save reply emails
      </SubmitButton>
    </form>
  );
}

/** The discussions the reader follows, each with its own button; one message for the list. */
export function DiscussionList({ discussions }: { discussions: { articleId: number; slug: string; title: string }[] }) {
  const [state, action, pending] = useActionState(unsubscribeDiscussionAction, idleState, '/profile#notifications');
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
  return (
    <form ref={formRef} action={action} aria-labelledby="discussions-heading">
      {discussions.length === 0 ? (
        <p>You follow no discussions. Under an article, “Email me about new comments” adds it here.</p>
      ) : (
        <ul className="subscriptions">
          {discussions.map((discussion) => (
            <li key={discussion.articleId}>
              <Link href={`/articles/${discussion.slug}`}>{discussion.title}</Link>{' '}
              <button type="submit" name="articleId" value={discussion.articleId} className="button" disabled={pending} aria-label={`Unsubscribe from ${discussion.title}`}>
                {pending ? 'Saving…' : 'Unsubscribe'}
              </button>
            </li>
          ))}
        </ul>
      )}
      <FormMessage state={state} />
    </form>
  );
}
