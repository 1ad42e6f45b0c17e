'use client';

import { ErrorText } from '@/app/_components/form-controls';
import { useActionState, useId } from 'react';
import { useFormStatus } from 'react-dom';
import { useHydrated } from '@/app/_components/use-hydrated';
import { useReader } from './reader-store';
import { idleState, type ActionState } from '@/app/_lib/http/action-state';
import { COMMENT_MAX } from '@/app/_lib/limits';
import { REPORT_REASONS, REPORT_REASON_LABELS } from '@/db/enums';
import { deleteCommentAction, editCommentAction, featureCommentAction, hideCommentAction, reportCommentAction, voteAction, type VoteState } from '../actions';

type Common = {
  articleSlug: string;
  commentId: number;
  view: string;
  /** Where the form posts without JavaScript (React writes it as the action): this view of the article, at the comment. */
  permalink: string;
  /** 'article': go back to the article at the comment after success, with JavaScript too (a focused page). */
  then?: 'article';
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

/** Edit your own comment: the form sits in a <details>, so it opens without JavaScript. */
export function EditForm({ body, ...common }: Common & { body: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(editCommentAction, idleState, common.permalink);
  const id = useId().replace(/:/g, '');
  const error = state.fields?.body ?? (state.status !== 'idle' && state.status !== 'ok' ? state.message : undefined);
  return (
    <form action={action} className="comment-form comment-form--edit">
      <CommonFields {...common} />
      <div className="field">
        <label htmlFor={`edit-${id}`}>Edit your comment</label>
        <textarea
          id={`edit-${id}`}
          name="body"
          rows={4}
          defaultValue={state.values?.body ?? body}
          key={state.values?.body ?? body}
          maxLength={COMMENT_MAX * 2}
          required
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `edit-${id}-error` : undefined}
        />
        {error ? (
          <p id={`edit-${id}-error`} className="field__error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <p className="form-message" role="status">
        {state.status === 'ok' ? state.message : ''}
      </p>
      <button type="submit" className="button button--primary" disabled={pending}>
        {pending ? 'Saving…' : 'Save changes'}
      </button>
    </form>
  );
}

/** Delete your own comment, after a second, explicit press. */
export function DeleteForm(common: Common) {
  const [state, action, pending] = useActionState<ActionState, FormData>(deleteCommentAction, idleState, common.permalink);
  const error = state.status !== 'idle' && state.status !== 'ok' ? state.message : null;
  return (
    <form action={action} className="comment-form comment-form--delete">
      <CommonFields {...common} />
      <p>Delete this comment? Replies to it stay.</p>
      <button type="submit" className="button button--danger" disabled={pending}>
        {pending ? 'Deleting…' : 'Yes, delete it'}
      </button>
      <ErrorText message={error} />
    </form>
  );
}


/** Report a comment to the moderators, once, with a reason. */
export function ReportForm(common: Common) {
  const [state, action, pending] = useActionState<ActionState, FormData>(reportCommentAction, idleState, common.permalink);
  const id = useId().replace(/:/g, '');
  if (state.status === 'ok') {
    return (
      <p className="form-message" role="status">
        {state.message}
      </p>
    );
  }
  const error = state.status !== 'idle' ? state.message : null;
  return (
    <form action={action} className="comment-form comment-form--report">
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
  return (
    <div className="moderator-controls">
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
