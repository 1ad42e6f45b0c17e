import Link from 'next/link';
import { Avatar } from '@/app/_components/avatar';
import { RelativeTime } from '@/app/_components/relative-time';
import { commentPermissions } from '@/app/_lib/permissions';
import { articleViewHref, viewQuery, type DiscussionView } from '@/app/_lib/comments/view';
import type { ArticleQuestion } from '@/db/queries/articles';
import type { CommentView } from '@/db/queries/comments';
import type { UserSummary } from '@/db/queries/users';
import { DeleteForm, EditForm, ModeratorControls, ReportForm, VoteButton, VoteCount } from './comment-controls';
import { CommentForm } from './comment-form';

export type CommentContext = {
  articleSlug: string;
  viewer: UserSummary | null;
  votedIds: Set<number>;
  view: DiscussionView;
  questions: Map<number, ArticleQuestion>;
  authorStances: Map<string, string>;
  /** The discussion's state, which the permissions weigh (a closed one is read-only). */
  article: { closedAt: Date | null };
  reportedIds: Set<number>;
  /** Set for copies of a comment (editor's picks), so ids stay unique on the page. */
  anchorPrefix?: string;
};

/** One comment with its controls. Replies are drawn by the caller, nested inside the same <li>. */
export function CommentItem({ comment, context }: { comment: CommentView; context: CommentContext }) {
  const { articleSlug, viewer, votedIds, view } = context;
  // A thread that answers a question says which, and a poll answer shows its author's stance.
  const question = comment.depth === 0 && comment.questionId ? context.questions.get(comment.questionId) : undefined;
  const stance = question?.kind === 'poll' ? context.authorStances.get(`${question.id}:${comment.authorId}`) : undefined;
  const anchor = `${context.anchorPrefix ?? 'comment'}-${comment.id}`;
  const permalink = articleViewHref(articleSlug, { sort: view.sort, comment: comment.id }, `#comment-${comment.id}`);

  if (comment.status === 'deleted') {
    return (
      <article id={anchor} className="comment comment--deleted" aria-label="Deleted comment">
        <p>Comment deleted.</p>
      </article>
    );
  }

  const common = { articleSlug, commentId: comment.id, view: viewQuery(view), permalink: articleViewHref(articleSlug, view, `#${anchor}`) };
  // Every control below is drawn from the permissions; a sign-in link where signing in is all it takes.
  const may = commentPermissions(viewer, context.article, comment);
  const signInHref = `/signin?callbackUrl=${encodeURIComponent(permalink)}`;
  return (
    <article
      id={anchor}
      className={`comment${comment.status === 'pending' ? ' comment--held' : ''}${comment.featured ? ' comment--featured' : ''}`}
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
          <RelativeTime iso={comment.createdAt.toISOString()} />
        </a>
        {comment.editedAt ? (
          <span className="comment__edited">
            edited <RelativeTime iso={comment.editedAt.toISOString()} />
          </span>
        ) : null}
      </header>
      {comment.status === 'pending' ? (
        <p className="comment__held">Awaiting review: only you can see this comment until a moderator approves it.</p>
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
        {may.vote === null ? (
          <VoteButton {...common} voted={votedIds.has(comment.id)} score={comment.score} />
        ) : may.vote === 'signed_out' ? (
          <Link className="vote__button" href={signInHref} aria-label={`Sign in to up-vote (${comment.score} votes)`}>
            <span aria-hidden="true">▲</span> {comment.score} {comment.score === 1 ? 'vote' : 'votes'}
          </Link>
        ) : (
          <VoteCount score={comment.score} />
        )}
        {may.reply === null ? (
          <details className="comment__details">
            <summary>Reply</summary>
            <CommentForm
              articleSlug={articleSlug}
              signedIn
              authorName={viewer?.name}
              parentId={comment.id}
              label={`Reply to ${comment.authorName}`}
              idPrefix={`reply-${comment.id}`}
              permalink={common.permalink}
            />
          </details>
        ) : may.reply === 'signed_out' ? (
          <Link href={signInHref}>Sign in to reply</Link>
        ) : null}
        <a href={permalink} className="comment__link">
          Link<span className="visually-hidden"> to this comment</span>
        </a>
        {may.edit === null ? (
          <details className="comment__details">
            <summary>Edit</summary>
            <EditForm {...common} body={comment.markdown} />
          </details>
        ) : null}
        {may.delete === null ? (
          <details className="comment__details">
            <summary>Delete</summary>
            <DeleteForm {...common} />
          </details>
        ) : null}
        {may.report === null ? (
          context.reportedIds.has(comment.id) ? (
            <span className="comment__reported">Reported</span>
          ) : (
            <details className="comment__details">
              <summary>Report</summary>
              <ReportForm {...common} />
            </details>
          )
        ) : null}
        {may.feature === null || may.reject === null ? (
          <ModeratorControls {...common} featured={comment.featured} canFeature={may.feature === null} canHide={may.reject === null} />
        ) : null}
      </footer>
    </article>
  );
}
