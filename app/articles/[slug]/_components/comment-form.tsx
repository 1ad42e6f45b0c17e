'use client';

import { useId, useState, type FormEvent } from 'react';
import { useFormStatus } from 'react-dom';
import { useSend } from '@/app/_components/use-send';
import { idleState, type ActionState } from '@/app/_lib/http/action-state';
import { formatCount } from '@/app/_lib/format';
import { COMMENT_MAX } from '@/app/_lib/limits';
import { postCommentAction } from '../actions';
import { cancelArrival, expectArrival } from './arrival';
import { useReader } from './reader-store';

type Props = {
  articleSlug: string;
  /** The name a comment on its way is shown under, when the page is drawn for one reader. */
  authorName?: string;
  parentId?: number;
  initialBody?: string;
  label?: string;
  idPrefix?: string;
  /** The question a new thread answers (from ?question=); replies inherit their thread's. */
  question?: { key: string; prompt: string };
  withoutQuestionHref?: string;
  /** Where the form posts without JavaScript (React writes it as the action): this view of the article, at the form. */
  permalink: string;
  /** The view the reader posts from (its query string), where the action shows them their comment. */
  view?: string;
};

function newToken(): string {
  return globalThis.crypto?.randomUUID?.().replace(/-/g, '') ?? Math.random().toString(36).slice(2);
}

/**
 * The comment box, for a new comment or a reply. Posts through a server action, so it works
 * without JavaScript; with it, the reader sees their comment at once while it is being sent,
 * and a refusal keeps their text in the box with the reason. The same form for everyone: signed
 * out, the action keeps the text and sends the reader to sign in (its button says so, by the
 * discussion's tokens in app/globals.css).
 */
export function CommentForm({
  articleSlug,
  authorName,
  parentId,
  initialBody = '',
  label,
  idPrefix = 'new',
  question,
  withoutQuestionHref,
  permalink,
  view = '',
}: Props) {
  // A post that went through redirects to the comment (arrival.tsx shows it); one that comes back
  // here, refused or unsent, is not arriving anywhere.
  const { state, formAction, onSubmit, pending, unsent } = useSend<ActionState>(postCommentAction, idleState, permalink, cancelArrival);
  const send = (event: FormEvent<HTMLFormElement>) => {
    // Signed out, a post goes to sign in with the draft: nothing arrives.
    if (reader ?? authorName) expectArrival(parentId ? 'Reply posted' : question ? 'Answer posted' : 'Comment posted');
    onSubmit(event);
  };
  const reader = useReader();
  const [token] = useState(newToken);
  const [length, setLength] = useState([...initialBody].length);
  const fieldId = `${idPrefix}-${useId().replace(/:/g, '')}`;
  const error = state.fields?.body ?? (state.status !== 'idle' && state.status !== 'ok' ? state.message : undefined);
  const body = state.values?.body ?? initialBody;

  return (
    <form
      action={formAction}
      onSubmit={send}
      className={`comment-form${parentId ? '' : ' c c-post-form'}`}
      id={parentId ? undefined : 'comment-form'}
      aria-label={parentId ? 'Reply' : 'Write a comment'}
    >
      <input type="hidden" name="articleSlug" value={articleSlug} />
      {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
      {question && !parentId ? (
        <p className="comment-form__question">
          <input type="hidden" name="questionKey" value={question.key} />
          Answering: <strong>{question.prompt}</strong>{' '}
          {withoutQuestionHref ? <a href={withoutQuestionHref}>Comment without answering a question</a> : null}
        </p>
      ) : null}
      <input type="hidden" name="clientToken" value={token} />
      <input type="hidden" name="view" value={view} />
      <div className="field">
        <label htmlFor={fieldId}>{label ?? (parentId ? 'Your reply' : question ? 'Your answer' : 'Your comment')}</label>
        <textarea
          id={fieldId}
          name="body"
          rows={parentId ? 3 : 5}
          defaultValue={body}
          key={body}
          maxLength={COMMENT_MAX * 2}
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={`${fieldId}-help${error ? ` ${fieldId}-error` : ''}`}
          onChange={(event) => setLength([...event.currentTarget.value].length)}
        />
        <p id={`${fieldId}-help`} className="field__hint">
          Markdown: *emphasis*, **strong**, [links](https://…), `code`, &gt; quotes, lists.{' '}
          <span className={length > COMMENT_MAX ? 'over-limit' : undefined}>
            {formatCount(length)} / {formatCount(COMMENT_MAX)}
          </span>
        </p>
        {error ? (
          <p id={`${fieldId}-error`} className="field__error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      {unsent && !pending ? (
        <p className="field__error comment-form__unsent" role="alert">
          Couldn’t send: {unsent.reason}. Your text is still here.{' '}
          <button type="submit" className="button button--quiet">
            Retry
          </button>
        </p>
      ) : null}
      <PendingComment authorName={reader?.name ?? authorName} />
      <div className="comment-form__actions">
        <button type="submit" className={`button button--primary${parentId ? '' : ' c c-post'}`} disabled={pending}>
          {pending ? 'Posting…' : parentId ? 'Post reply' : question ? 'Post answer' : 'Post comment'}
        </button>
        {parentId ? null : <SignInToPost />}
      </div>
    </form>
  );
}

/**
 * The reader's own comment, shown the moment they post, while it is on its way. The form's
 * pending submission carries the text, so nothing has to be copied by hand; when the server
 * answers, the page shows the stored comment instead, or the form shows the error.
 */
function PendingComment({ authorName }: { authorName?: string }) {
  const { pending, data } = useFormStatus();
  const body = data?.get('body');
  // Signed out, a post only keeps the draft on its way to the sign-in page.
  if (!authorName || !pending || typeof body !== 'string' || !body.trim()) return null;
  return (
    <div className="comment comment--pending" aria-live="polite">
      <p className="comment__meta">
        <strong>{authorName}</strong> · <span>Posting…</span>
      </p>
      <p className="comment__preview">{body}</p>
    </div>
  );
}

function SignInToPost() {
  const { pending } = useFormStatus();
  return (
    <>
      <button type="submit" className="button button--primary c c-post-signin" disabled={pending}>
        {pending ? 'Saving your draft…' : 'Sign in to post'}
      </button>
      <span className="field__hint c c-post-signin">What you wrote is kept while you sign in.</span>
    </>
  );
}
