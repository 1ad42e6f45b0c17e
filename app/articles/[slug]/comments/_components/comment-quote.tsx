import { Avatar } from '@/app/_components/avatar';
import { EditedMarker } from '@/app/_components/edited-marker';
import { Timestamp } from '@/app/_components/timestamp';
import type { CommentView } from '@/db/queries/comments';

/**
 * The comment a focused page acts on, read-only: who wrote it, when, and its stored HTML, drawn
 * with the comment list's classes so it looks the same. The form goes inside it, under the text,
 * where the list drew it before it became the same HTML for everyone.
 */
export function CommentQuote({ comment, articleSlug, children }: { comment: CommentView; articleSlug: string; children?: React.ReactNode }) {
  const anchor = `quoted-comment-${comment.id}`;
  return (
    <article
      className={`comment comment--quoted${comment.underReview ? ' comment--held' : ''}${comment.featured ? ' comment--featured' : ''}`}
      aria-labelledby={`${anchor}-author`}
    >
      <header className="comment__meta">
        <Avatar name={comment.authorName} />
        <span id={`${anchor}-author`} className="comment__author">
          {comment.authorName}
        </span>
        {comment.replyTo ? <span className="comment__reply-to">replying to {comment.replyTo.authorName}</span> : null}
        <span className="comment__time">
          <Timestamp at={comment.createdAt} />
        </span>
        {comment.editedAt ? <EditedMarker slug={articleSlug} commentId={comment.id} at={comment.editedAt} /> : null}
      </header>
      {comment.underReview === 'held' ? <p className="comment__held">Awaiting review by a moderator.</p> : null}
      {comment.underReview === 'reported' ? <p className="comment__held">Hidden while a moderator reviews it: readers reported it.</p> : null}
      {comment.status === 'hidden' ? <p className="comment__held">Hidden by a moderator.</p> : null}
      {comment.featured ? <p className="comment__pick">Editor’s pick</p> : null}
      <div className="comment__body" dangerouslySetInnerHTML={{ __html: comment.html }} />
      {children}
    </article>
  );
}
