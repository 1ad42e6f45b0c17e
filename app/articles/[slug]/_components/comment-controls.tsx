'use client';

import { DraftRestored, ErrorText } from '@/app/_components/form-controls';
import { useActionState, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useFormStatus } from 'react-dom';
import { useHydrated } from '@/app/_components/use-hydrated';
import { useBodyField } from '@/app/_components/use-body-field';
import { useFocusOnRefusal } from '@/app/_components/use-focus-on-refusal';
import { draftKey, useDraft } from '@/app/_components/use-draft';
import { UnsentNotice, useSend } from '@/app/_components/use-send';
import { CancelLink, useEscapeToCancel } from '@/app/_components/cancel';
import { useReader } from './reader-store';
import { cancelArrival, expectArrival } from './arrival';
import { idleState, type ActionState } from '@/app/_lib/http/action-state';
import { UNDO_SHOWN_MS } from '@/app/_lib/limits';
import { REPORT_REASONS, REPORT_REASON_LABELS } from '@/db/enums';
import { deleteCommentAction, editAsModeratorAction, editCommentAction, undoDeleteAction, featureCommentAction, hideCommentAction, reportCommentAction, voteAction, type VoteState } from '../actions';

type Common = {
  articleSlug: string;
  commentId: number;
  view: string;
  /** Where the form posts without JavaScript (React writes it as the action): this view of the article, at the comment. */
  permalink: string;
  /**
   * 'article': go back to the article at the comment after success, with JavaScript too (a
   * focused page). 'here': stay, and say it in place (a delete asked inline, with JavaScript).
   */
  then?: 'article' | 'here';
};

/** Hidden fields every control sends: which comment, which page to come back to, and `_js`. */
function CommonFields({ articleSlug, commentId, view, then }: Omit<Common, 'permalink'>) {
  const hydrated = useHydrated();
  return (
    <>
      <input type="hidden" name="articleSlug" value={articleSlug} />
      <input type="hidden" name="commentId" value={commentId} />
      <input type="hidden" name="view" value={view} />
      <input type="hidden" name="_js" value={hydrated ? '1' : ''} />
      {then ? <input type="hidden" name="then" value={then} /> : null}
    </>
  );
}

function votesLabel(score: number): string {
  return `${score} ${score === 1 ? 'vote' : 'votes'}`;
}

/**
 * Up-vote, or take the vote back. The count moves at once and settles on the server's figure.
 * Drawn on every comment for everyone (the page's CSS shows it to those who may vote); whether
 * this reader has voted comes from the reader's state once the page knows it. `data-vote` marks
 * the two attributes app/_lib/comments/reader-page.ts sets on a cached page for a reader's votes.
 */
export function VoteButton({ voted, score, ...common }: Common & { voted: boolean; score: number }) {
  const [state, action] = useActionState<VoteState, FormData>(voteAction, idleState, common.permalink);
  const reader = useReader();
  const drawn = reader ? reader.votedIds.includes(common.commentId) : voted;
  // The server's latest answer wins over the figures the page was drawn with.
  const settled = state.status === 'ok' ? { voted: state.voted ?? drawn, score: state.score ?? score } : { voted: drawn, score };
  const error = state.status !== 'idle' && state.status !== 'ok' ? state.message : null;
  return (
    <form action={action} className="vote c c-vote">
      <CommonFields {...common} />
      <input data-vote={common.commentId} type="hidden" name="vote" value={settled.voted ? 'none' : 'up'} />
      <VoteToggle id={common.commentId} {...settled} />
      <ErrorText as="span" message={error} />
    </form>
  );
}

/** While the vote is on its way, show the result it will have. */
function VoteToggle({ id, voted, score }: { id: number; voted: boolean; score: number }) {
  const { pending } = useFormStatus();
  const shown = pending ? { voted: !voted, score: Math.max(0, score + (voted ? -1 : 1)) } : { voted, score };
  return (
    <button data-vote={id} aria-pressed={shown.voted} title={shown.voted ? 'Take back your up-vote' : 'Up-vote'} type="submit" className="vote__button">
      <span aria-hidden="true">▲</span> <span className="visually-hidden">Up-vote, </span>
      {votesLabel(shown.score)}
    </button>
  );
}

export function VoteCount({ score }: { score: number }) {
  return (
    <span className="vote__count c-count">
      <span aria-hidden="true">▲</span> {votesLabel(score)}
    </span>
  );
}

/**
 * Edit your own comment. The text being written is kept in the browser like a new comment's
 * (app/_components/use-draft.ts) until it is saved, and a save that cannot be sent keeps it.
 */
export function EditForm({ body, cancelHref, ...common }: Common & { body: string; cancelHref: string }) {
  const draft = useDraft(draftKey(common.articleSlug, `edit:${common.commentId}`), body);
  const box = useRef<HTMLTextAreaElement>(null);
  const { state, formAction, onSubmit, pending, unsent } = useSend<ActionState>(
    editCommentAction,
    idleState,
    common.permalink,
    () => {
      cancelArrival();
      draft.back(box.current?.value ?? '');
      box.current?.focus(); // refused or not sent: the next step is in the box
    },
    () => draft.away(),
  );
  const onKeyDown = useEscapeToCancel(cancelHref, () => draft.discard(), pending);
  const id = useId().replace(/:/g, '');
  const { text, tooLong, error, sent } = useBodyField(draft, state);
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        sent();
        draft.sending();
        // Saved, the article opens at the comment: it arrives focused and announced.
        expectArrival('Changes saved');
        onSubmit(event);
      }}
      className="comment-form comment-form--edit"
      onKeyDown={onKeyDown}
    >
      <CommonFields {...common} />
      <div className="field">
        <label htmlFor={`edit-${id}`}>Edit your comment</label>
        <textarea
          id={`edit-${id}`}
          name="body"
          rows={4}
          ref={box}
          value={text}
          // The editor is its own page: the box has the focus.
          autoFocus
          onChange={(event) => draft.change(event.currentTarget.value)}
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `edit-${id}-error` : undefined}
        />
        {error ? (
          <p id={`edit-${id}-error`} className="field__error" role="alert">
            {error}
          </p>
        ) : null}
        {draft.restored ? <DraftRestored what="unsaved changes" discard={() => draft.discard()} /> : null}
      </div>
      <UnsentNotice unsent={pending ? null : unsent} />
      <p className="form-message" role="status">
        {state.status === 'ok' ? state.message : ''}
      </p>
      <div className="comment-form__actions">
        <button type="submit" className="button button--primary" disabled={pending || !!tooLong}>
          {pending ? 'Saving…' : 'Save changes'}
        </button>
        <CancelLink href={cancelHref} forget={() => draft.discard()} />
      </div>
    </form>
  );
}

/**
 * Delete your own comment, after a second, explicit press: on the comment's delete page, or in
 * place on the article (`inline`, see inline-delete.tsx), where the confirmation takes focus,
 * Escape or Cancel closes it, and a done delete is handed to `onDeleted`.
 */
export function DeleteForm({ inline, ...common }: Common & { inline?: { onCancel: () => void; onDeleted: () => void } }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(deleteCommentAction, idleState, common.permalink);
  const confirm = useRef<HTMLButtonElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
  const deleted = state.status === 'ok';
  useEffect(() => {
    if (inline && !deleted) confirm.current?.focus();
  }, [inline, deleted]);
  useEffect(() => {
    if (inline && deleted) inline.onDeleted();
  }, [inline, deleted]);
  if (inline && deleted) return null;
  const error = state.status !== 'idle' && state.status !== 'ok' ? state.message : null;
  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (!inline || event.key !== 'Escape' || pending) return;
    event.preventDefault();
    inline.onCancel();
  };
  return (
    <form ref={formRef} action={action} className="comment-form comment-form--delete" onKeyDown={onKeyDown}>
      <CommonFields {...common} />
      <p>Delete this comment? Replies to it stay.</p>
      <div className="comment-form__actions">
        <button ref={confirm} type="submit" className="button button--danger" disabled={pending}>
          {pending ? 'Deleting…' : 'Yes, delete it'}
        </button>
        {inline ? (
          <button type="button" className="button button--quiet" onClick={inline.onCancel} disabled={pending}>
            Cancel
          </button>
        ) : null}
      </div>
      <ErrorText message={error} />
    </form>
  );
}


/**
 * After a delete: "Deleted · Undo". With JavaScript the Undo is offered for about 10 s (the
 * server honours it a while longer, UNDO_MS); without, it stays, and a late press is told it is
 * too late. Undo puts the comment back exactly as it was and opens the article at it.
 */
export function UndoDelete({ articleSlug, commentId, canUndo, permalink }: { articleSlug: string; commentId: number; canUndo: boolean; permalink: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(undoDeleteAction, idleState, permalink);
  const [expired, setExpired] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
  useEffect(() => {
    const timer = setTimeout(() => setExpired(true), UNDO_SHOWN_MS);
    return () => clearTimeout(timer);
  }, []);
  const error = state.status !== 'idle' && state.status !== 'ok' ? state.message : null;
  return (
    // Undo opens the article at the comment: it arrives focused and announced, not with focus on <body>.
    <form ref={formRef} action={action} className="undo" onSubmit={() => expectArrival('Your comment is back.')}>
      <input type="hidden" name="articleSlug" value={articleSlug} />
      <input type="hidden" name="commentId" value={commentId} />
      <p role="status">
        Your comment was deleted.
        {canUndo && !expired && !error ? (
          <>
            {' '}
            <button type="submit" className="button button--quiet" disabled={pending}>
              {pending ? 'Restoring…' : 'Undo'}
            </button>
          </>
        ) : null}
      </p>
      <ErrorText message={error} />
    </form>
  );
}

/** Report a comment to the moderators, once, with a reason. */
export function ReportForm(common: Common) {
  const [state, action, pending] = useActionState<ActionState, FormData>(reportCommentAction, idleState, common.permalink);
  const id = useId().replace(/:/g, '');
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
  if (state.status === 'ok') {
    return (
      // The form it replaces had focus: the thanks take it, rather than <body>.
      <p ref={(thanks) => thanks?.focus()} tabIndex={-1} className="form-message" role="status">
        {state.message}
      </p>
    );
  }
  const error = state.status !== 'idle' ? state.message : null;
  return (
    <form ref={formRef} action={action} className="comment-form comment-form--report">
      <CommonFields {...common} />
      <fieldset>
        <legend>Why are you reporting this comment?</legend>
        {REPORT_REASONS.map((value) => (
          <label key={value} className="radio">
            <input type="radio" name="reason" value={value} required /> {REPORT_REASON_LABELS[value]}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`report-${id}`}>Details (needed for “Something else”)</label>
        <textarea id={`report-${id}`} name="details" rows={2} maxLength={500} />
      </div>
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Sending…' : 'Send report'}
      </button>
      <ErrorText message={error} />
    </form>
  );
}

/** A moderator's quick actions on a comment: make it an editor's pick, or hide it, as allowed. */
export function ModeratorControls({ featured, canFeature, canHide, ...common }: Common & { featured: boolean; canFeature: boolean; canHide: boolean }) {
  const [featureState, featureAction, featurePending] = useActionState<ActionState, FormData>(featureCommentAction, idleState, common.permalink);
  const [hideState, hideAction, hidePending] = useActionState<ActionState, FormData>(hideCommentAction, idleState, common.permalink);
  const error = [featureState, hideState].find((s) => s.status !== 'idle' && s.status !== 'ok')?.message;
  const controls = useRef<HTMLDivElement>(null);
  useFocusOnRefusal(controls, featureState);
  useFocusOnRefusal(controls, hideState);
  return (
    <div ref={controls} className="moderator-controls">
      {canFeature ? (
        <form action={featureAction}>
          <CommonFields {...common} />
          <input type="hidden" name="featured" value={featured ? '0' : '1'} />
          <button type="submit" className="link-button" disabled={featurePending}>
            {featured ? 'Remove editor’s pick' : 'Make editor’s pick'}
          </button>
        </form>
      ) : null}
      {canHide ? (
        <form action={hideAction}>
          <CommonFields {...common} />
          <button type="submit" className="link-button" disabled={hidePending}>
            {hidePending ? 'Hiding…' : 'Hide'}
          </button>
        </form>
      ) : null}
      <ErrorText as="span" message={error} />
    </div>
  );
}

/**
 * A moderator changes someone's words, saying why: readers see "edited by a moderator" and the
 * reason in the comment's history, beside the text it replaced. A plain form, so it works
 * without JavaScript; after saving, the article opens at the comment.
 */
export function ModeratorEditForm({ body, ...common }: Common & { body: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(editAsModeratorAction, idleState, common.permalink);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
  const id = useId().replace(/:/g, '');
  const fields = state.status !== 'idle' && state.status !== 'ok' ? (state.fields ?? {}) : {};
  const error = state.status !== 'idle' && state.status !== 'ok' && !fields.body && !fields.reason ? state.message : null;
  return (
    <form ref={formRef} action={action} className="comment-form comment-form--moderator-edit">
      <CommonFields {...common} />
      <h2>Edit as a moderator</h2>
      <div className="field">
        <label htmlFor={`moderator-body-${id}`}>Text of the comment</label>
        <textarea
          id={`moderator-body-${id}`}
          name="body"
          rows={5}
          required
          defaultValue={state.values?.body ?? body}
          aria-invalid={fields.body ? true : undefined}
          aria-describedby={fields.body ? `moderator-body-${id}-error` : undefined}
        />
        {fields.body ? (
          <p id={`moderator-body-${id}-error`} className="field__error">
            {fields.body}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={`moderator-reason-${id}`}>Reason (readers see it in the comment’s history)</label>
        <input
          id={`moderator-reason-${id}`}
          name="reason"
          required
          maxLength={500}
          defaultValue={state.values?.reason ?? ''}
          aria-invalid={fields.reason ? true : undefined}
          aria-describedby={fields.reason ? `moderator-reason-${id}-error` : undefined}
        />
        {fields.reason ? (
          <p id={`moderator-reason-${id}-error`} className="field__error">
            {fields.reason}
          </p>
        ) : null}
      </div>
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Saving…' : 'Save the edit'}
      </button>
      <ErrorText message={error} />
    </form>
  );
}
