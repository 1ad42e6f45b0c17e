import Link from 'next/link';
import { Avatar } from '@/app/_components/avatar';
import { EditedMarker } from '@/app/_components/edited-marker';
import { Timestamp } from '@/app/_components/timestamp';
import { articleViewHref, commentActionHref, viewQuery, type CommentPageAction, type DiscussionView } from '@/app/_lib/comments/view';
import type { ArticleQuestion } from '@/db/queries/articles';
import type { CommentView } from '@/db/queries/comments';
import { VoteButton, VoteCount } from './comment-controls';

export type CommentContext = {
  articleSlug: string;
  view: DiscussionView;
  questions: Map<number, ArticleQuestion>;
  authorStances: Map<string, string>;
  /** The reader's own, up-voted and reported comments when drawn for one reader; null when cached for everyone. */
  marks: { own: Set<number>; voted: Set<number>; reported: Set<number> } | null;
  /** Set for copies of a comment (editor's picks), so ids stay unique on the page. */
  anchorPrefix?: string;
};

/**
 * One comment with every control, the same HTML for every reader, so the page can be cached.
 * Which controls a reader sees is decided by the discussion's tokens (permissions.ts
 * discussionTokens) and the comment's data-own / data-reported marks, in app/globals.css. Each
 * control is a link to a page with its one form (app/articles/[slug]/comments/[id]/[action]),
 * but the vote, which is a one-press form. Replies are drawn by the caller, nested inside the
 * same <li>.
 */
export function CommentItem({ comment, context }: { comment: CommentView; context: CommentContext }) {
  const { articleSlug, view, marks } = context;
  // A thread that answers a question says which, and a poll answer shows its author's stance.
  const question = comment.depth === 0 && comment.questionId ? context.questions.get(comment.questionId) : undefined;
  const stance = question?.kind === 'poll' ? context.authorStances.get(`${question.id}:${comment.authorId}`) : undefined;
  const anchor = `${context.anchorPrefix ?? 'comment'}-${comment.id}`;
  const permalink = articleViewHref(articleSlug, { sort: view.sort, comment: comment.id }, `#comment-${comment.id}`);

  if (comment.status === 'deleted') {
    return (
      // Its text and its history are gone; the place stays, for the replies that hang from it.
      <article id={anchor} className="comment comment--deleted" aria-label="Deleted comment">
        <p>Deleted by its author.</p>
      </article>
    );
  }

  const common = { articleSlug, commentId: comment.id, view: viewQuery(view), permalink: articleViewHref(articleSlug, view, `#${anchor}`) };
  const signInHref = `/signin?callbackUrl=${encodeURIComponent(permalink)}`;
  const action = (name: CommentPageAction) => commentActionHref(articleSlug, comment.id, name);
  const mark = (set: Set<number> | undefined) => (set?.has(comment.id) ? '' : undefined);
  return (
    <article
      id={anchor}
      className={`comment${comment.underReview ? ' comment--held' : ''}${comment.featured ? ' comment--featured' : ''}`}
      data-own={mark(marks?.own)}
      data-reported={mark(marks?.reported)}
      aria-labelledby={`${anchor}-author`}
    >
      <header className="comment__meta">
        <Avatar name={comment.authorName} />
        <span id={`${anchor}-author`} className="comment__author">
          {comment.authorName}
        </span>
        {comment.replyTo ? (
          <span className="comment__reply-to">
            replying to <a href={`#comment-${comment.replyTo.id}`}>{comment.replyTo.authorName}</a>
          </span>
        ) : null}
        <a className="comment__time" href={permalink} aria-label={`Link to this comment by ${comment.authorName}`}>
          <Timestamp at={comment.createdAt} />
        </a>
        {comment.editedAt ? <EditedMarker slug={articleSlug} commentId={comment.id} at={comment.editedAt} /> : null}
      </header>
      {comment.underReview === 'held' ? (
        <p className="comment__held">Awaiting review: only you can see this comment until a moderator approves it.</p>
      ) : comment.underReview === 'reported' ? (
        <p className="comment__held">Hidden while a moderator reviews it: readers reported it. Only you can see it until then.</p>
      ) : null}
      {comment.featured ? <p className="comment__pick">Editor’s pick</p> : null}
      {question ? (
        <p className="comment__tags">
          <Link className="tag" href={articleViewHref(articleSlug, { question: question.key }, '#discussion-comments')}>
            Answers: {question.label}
          </Link>
          {stance ? <span className="tag tag--stance">Stance: {stance}</span> : null}
        </p>
      ) : null}
      <div className="comment__body" dangerouslySetInnerHTML={{ __html: comment.html }} />
      <footer className="comment__actions">
        <VoteButton {...common} voted={marks?.voted.has(comment.id) ?? false} score={comment.score} />
        <a className="vote__button c c-vote-signin" href={signInHref} aria-label={`Sign in to up-vote (${comment.score} votes)`}>
          <span aria-hidden="true">▲</span> {comment.score} {comment.score === 1 ? 'vote' : 'votes'}
        </a>
        <VoteCount score={comment.score} />
        <a className="c c-reply" href={action('reply')}>
          Reply
        </a>
        <a className="c c-reply-signin" href={signInHref}>
          Sign in to reply
        </a>
        <a href={permalink} className="comment__link">
          Link<span className="visually-hidden"> to this comment</span>
        </a>
        <a className="c c-edit" href={action('edit')}>
          Edit
        </a>
        <a className="c c-delete" href={action('delete')}>
          Delete
        </a>
        <a className="c c-report" href={action('report')}>
          Report
        </a>
        <span className="c c-reported comment__reported">Reported</span>
        <a className="c c-feature" href={action('moderate')}>
          {comment.featured ? 'Remove editor’s pick' : 'Make editor’s pick'}
        </a>
        <a className="c c-reject" href={action('moderate')}>
          Hide
        </a>
      </footer>
    </article>
  );
}
