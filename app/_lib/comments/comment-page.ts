import 'server-only';
import { getCommentForWrite, getCommentView, hasReported, type CommentView } from '@/db/queries/comments';
import type { UserSummary } from '@/db/queries/users';
import { canUndoDelete } from '@/db/queries/comment-writes';
import type { Refusal } from '../http/errors';
import { check, type CommentAction, type Target } from '../permissions';
import { isCommentPageAction, type CommentPageAction } from './view';

/** The permission each focused page asks for; "moderate" offers whichever of its forms is allowed. */
const ASKS: Record<CommentPageAction, readonly CommentAction[]> = {
  reply: ['reply'],
  edit: ['edit'],
  delete: ['delete'],
  report: ['report'],
  moderate: ['feature', 'reject', 'editAsModerator'],
};

export type CommentPage =
  /** No such action, no such comment in this discussion, or one this viewer is not shown. */
  | { kind: 'not_found' }
  | { kind: 'signed_out'; action: CommentPageAction }
  /** The viewer's report was one of those that hid the comment: they keep their thanks. */
  | { kind: 'reported_hidden'; action: 'report' }
  /** The viewer deleted it: "Deleted", with "Undo" while that is still possible. */
  | { kind: 'deleted'; action: 'delete'; commentId: number; canUndo: boolean }
  | { kind: 'refused'; action: CommentPageAction; comment: CommentView; refusal: Refusal }
  | {
      kind: 'allowed';
      action: CommentPageAction;
      comment: CommentView;
      /** For "moderate": which of its forms to draw. */
      may: Partial<Record<CommentAction, boolean>>;
      /** For "report": the viewer has reported it already. */
      reported: boolean;
    };

/**
 * What a comment's focused page (/articles/[slug]/comments/[id]/[action]) shows this viewer.
 * The answer is the service's own: `check`, whose "not found" (a held comment shown to its
 * author and staff alone, a deleted one) makes the page a 404 like the write would be.
 */
export function commentPage(
  viewer: UserSummary | null,
  article: NonNullable<Target['article']> & { id: number },
  rawId: string,
  rawAction: string,
): CommentPage {
  if (!isCommentPageAction(rawAction) || !/^[0-9]{1,16}$/.test(rawId)) return { kind: 'not_found' };
  const action = rawAction;
  const target = getCommentForWrite(Number(rawId));
  if (!target || target.articleId !== article.id) return { kind: 'not_found' };
  // Before any rule: signing in may be all it takes, and the page cannot tell who is asking.
  if (!viewer) return { kind: 'signed_out', action };
  if (action === 'delete' && target.status === 'deleted' && target.authorId === viewer.id) {
    return { kind: 'deleted', action, commentId: target.id, canUndo: canUndoDelete(target.id) };
  }
  // Reports hide a comment from everyone but its author; the reader whose report did it stays
  // on this page (with JavaScript the page is drawn again after the report) and is thanked.
  if (
    action === 'report' &&
    target.status === 'hidden' &&
    target.authorId !== viewer.id &&
    hasReported(viewer.id, [target.id]).has(target.id)
  ) {
    return { kind: 'reported_hidden', action };
  }
  const answers = ASKS[action].map((asked) => [asked, check(viewer, asked, { article, comment: target })] as const);
  const refusals = answers.flatMap(([, refusal]) => (refusal ? [refusal] : []));
  if (refusals.length === answers.length) {
    const refusal = refusals.find((r) => r.code !== 'not_found:comment');
    if (!refusal) return { kind: 'not_found' };
    const comment = getCommentView(target.id);
    return comment ? { kind: 'refused', action, comment, refusal } : { kind: 'not_found' };
  }
  const comment = getCommentView(target.id);
  if (!comment) return { kind: 'not_found' };
  const may = Object.fromEntries(answers.map(([asked, refusal]) => [asked, refusal === null]));
  const reported = action === 'report' && hasReported(viewer.id, [comment.id]).has(comment.id);
  return { kind: 'allowed', action, comment, may, reported };
}
