import { commentHistoryHref } from '@/app/_lib/comments/view';
import { Timestamp } from './timestamp';

/**
 * "edited 5 minutes ago" on a comment, linking to its history, where every version is shown
 * with what changed. The link is the same for every reader (the list is cached HTML); the
 * history page decides who may read it.
 */
export function EditedMarker({ slug, commentId, at }: { slug: string; commentId: number; at: Date }) {
  return (
    <a className="comment__edited" href={commentHistoryHref(slug, commentId)}>
      edited <Timestamp at={at} />
      <span className="visually-hidden">: see the edit history</span>
    </a>
  );
}
