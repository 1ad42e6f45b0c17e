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

export function isModerator(viewer: UserSummary | null): boolean {
  return viewer !== null && (viewer.role === 'moderator' || viewer.role === 'admin');
}

export function isAdmin(viewer: UserSummary | null): boolean {
  return viewer !== null && viewer.role === 'admin';
}

const day = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });

/** What a banned reader is told, wherever they try to take part. */
export function banMessage(ban: NonNullable<UserSummary['ban']>): string {
  const until = ban.until ? `until ${day.format(ban.until)}` : 'until a moderator lifts it';
  return `You are banned from the discussion ${until}. Reason: ${ban.reason}`;
}
