'use client';

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useFormStatus } from 'react-dom';
import { UnsentNotice, useSend } from '@/app/_components/use-send';
import { DraftRestored } from '@/app/_components/form-controls';
import { CancelLink, useEscapeToCancel } from '@/app/_components/cancel';
import { draftKey, useDraft } from '@/app/_components/use-draft';
import { idleState } from '@/app/_lib/http/action-state';
import { formatCount } from '@/app/_lib/format';
import { COMMENT_MAX } from '@/app/_lib/limits';
import { useHydrated } from '@/app/_components/use-hydrated';
import { useBodyField } from '@/app/_components/use-body-field';
import { postCommentAction, type CommentFormState } from '../actions';
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
  /** On a reply's own page: where Cancel (and Escape) go, and the box takes focus at once. */
  cancelHref?: string;
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
  cancelHref,
}: Props) {
  const reader = useReader();
  const signedIn = !!(reader ?? authorName);
  const form = useRef<HTMLFormElement>(null);
  // One kept draft per box: the article's comment box per question, a reply per comment.
  const draft = useDraft(draftKey(articleSlug, parentId ? `reply:${parentId}` : question ? `answer:${question.key}` : 'comment'), initialBody);
  // A post that went through redirects to the comment (arrival.tsx shows it) and empties the box;
  // one that comes back here, refused or unsent, is not arriving anywhere, and its text is kept.
  // What the last send asked for: to post, or to preview (which stores nothing and goes nowhere).
  const [intent, setIntent] = useState<'post' | 'preview'>('post');
  const { state, formAction, onSubmit, pending, unsent } = useSend<CommentFormState>(
    postCommentAction,
    idleState,
    permalink,
    (result) => {
      cancelArrival();
      const box = form.current?.querySelector('textarea');
      draft.back(box?.value ?? '');
      // Refused or not sent: the reader's next step is in the box (the reason is announced). A
      // preview leaves focus on its button, beside the preview.
      if (result?.preview === undefined) box?.focus();
    },
    // Signed out, the post went to sign in with the text: the kept copy stays until it is posted.
    () => (signedIn ? draft.away() : undefined),
  );
  const { text, length, tooLong, unchanged, error, sent } = useBodyField(draft, state);
  const [closedPreview, setClosedPreview] = useState(false);
  const send = (event: FormEvent<HTMLFormElement>) => {
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const previewing = submitter?.name === 'intent' && submitter.value === 'preview';
    setIntent(previewing ? 'preview' : 'post');
    sent();
    setClosedPreview(false);
    if (!previewing) {
      draft.sending();
      // Signed out, a post goes to sign in with the draft: nothing arrives.
      if (signedIn) expectArrival(parentId ? 'Reply posted' : question ? 'Answer posted' : 'Comment posted');
    }
    onSubmit(event);
  };
  useCarryDraftToSignIn(form, draft, !signedIn && !parentId);
  const onKeyDown = useEscapeToCancel(cancelHref, () => draft.discard(), pending);
  const [token] = useState(newToken);
  const fieldId = `${idPrefix}-${useId().replace(/:/g, '')}`;
  const hydrated = useHydrated();
  // The preview is of the text that was sent; once the text changes it is out of date, and goes.
  const preview = unchanged && !closedPreview ? state.preview : undefined;

  return (
    <form
      ref={form}
      action={formAction}
      onSubmit={send}
      onKeyDown={onKeyDown}
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
          value={text}
          // Opening "Reply" is asking to write: the box on the reply's page has the focus.
          autoFocus={!!cancelHref}
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={`${fieldId}-help${error ? ` ${fieldId}-error` : ''}`}
          onChange={(event) => draft.change(event.currentTarget.value)}
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
        {draft.restored ? <DraftRestored what="unsent text" discard={() => draft.discard()} /> : null}
      </div>
      <UnsentNotice unsent={pending ? null : unsent} />
      {preview !== undefined ? (
        <section className="comment-preview" aria-labelledby={`${fieldId}-preview`}>
          <div className="comment-preview__heading">
            <h3 id={`${fieldId}-preview`}>Preview</h3>
            {hydrated ? (
              <button type="button" className="link-button" onClick={() => setClosedPreview(true)}>
                Hide preview
              </button>
            ) : null}
          </div>
          <div className="comment__body" dangerouslySetInnerHTML={{ __html: preview }} />
        </section>
      ) : null}
      <PendingComment authorName={reader?.name ?? authorName} />
      <div className="comment-form__actions">
        <button type="submit" className={`button button--primary${parentId ? '' : ' c c-post'}`} disabled={pending || !!tooLong}>
          {pending && intent === 'post' ? 'Posting…' : parentId ? 'Post reply' : question ? 'Post answer' : 'Post comment'}
        </button>
        {parentId ? null : <SignInToPost />}
        {cancelHref ? <CancelLink href={cancelHref} forget={() => draft.discard()} /> : null}
        {/* Shows the text as it will be posted: the server's own Markdown renderer and sanitizer. */}
        <button type="submit" name="intent" value="preview" className="button button--quiet" disabled={pending}>
          {pending && intent === 'preview' ? 'Previewing…' : preview !== undefined ? 'Update preview' : 'Preview'}
        </button>
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
  // Signed out, a post only keeps the draft on its way to the sign-in page; a preview posts nothing.
  if (!authorName || !pending || data?.get('intent') === 'preview' || typeof body !== 'string' || !body.trim()) return null;
  return (
    <div className="comment comment--pending" aria-live="polite">
      <p className="comment__meta">
        <strong>{authorName}</strong> · <span>Posting…</span>
      </p>
      <p className="comment__preview">{body}</p>
    </div>
  );
}

/**
 * With JavaScript, a signed-out reader with text in the box who follows any sign-in or sign-up
 * link on the page (the header's, "Sign in to comment") goes the way the "Sign in to post" button
 * goes: the text is kept on the server and the question with it. The page's own copy is kept too.
 */
function useCarryDraftToSignIn(form: React.RefObject<HTMLFormElement | null>, draft: { text: string; sending: () => void }, active: boolean) {
  const hasText = draft.text.trim() !== '';
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = (event.target as Element | null)?.closest?.('a[href^="/signin"], a[href^="/signup"]');
      const to = link?.getAttribute('href')?.startsWith('/signup') ? 'signup' : 'signin';
      const button = form.current?.querySelector<HTMLButtonElement>(`button[name="to"][value="${to}"]`);
      if (!link || !button) return;
      event.preventDefault();
      form.current?.requestSubmit(button);
    };
    if (!active || !hasText) return;
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, [active, hasText, form]);
}

function SignInToPost() {
  const status = useFormStatus();
  const pending = status.pending && status.data?.get('intent') !== 'preview';
  return (
    <>
      <button type="submit" name="to" value="signin" className="button button--primary c c-post-signin" disabled={pending}>
        {pending ? 'Saving your draft…' : 'Sign in to post'}
      </button>
      {/* What the "create an account" links send, with JavaScript, when the box holds text. */}
      <button type="submit" name="to" value="signup" hidden />
      <span className="field__hint c c-post-signin">What you wrote is kept while you sign in.</span>
    </>
  );
}
