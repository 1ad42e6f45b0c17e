import type { CommentView } from '@/db/queries/comments';
import type { UserSummary } from '@/db/queries/users';

/*
 * Who may do what to a comment. The service checks these before every write, and the pages use
 * the same functions to decide which buttons to draw, so the two cannot disagree.
 */
type Owned = Pick<CommentView, 'authorId' | 'status'>;

export function canEditComment(viewer: UserSummary | null, comment: Owned): boolean {
  return viewer !== null && comment.authorId === viewer.id && comment.status !== 'deleted';
}

export const canDeleteComment = canEditComment;

export function canVoteOnComment(viewer: UserSummary | null, comment: Owned): boolean {
  return viewer !== null && comment.authorId !== viewer.id && comment.status === 'visible';
}

export function canReplyToComment(viewer: UserSummary | null, comment: Owned): boolean {
  return viewer !== null && comment.status === 'visible';
}
