import 'server-only';
import type { z } from 'zod';
import { getArticleRef, getArticleSlug, getQuestionRef } from '@/db/queries/articles';
import {
  MAX_DEPTH,
  getCommentForWrite,
  getCommentView,
  insertComment,
  softDeleteComment,
  toggleVote,
  updateCommentBody,
  type CommentView,
} from '@/db/queries/comments';
import type { UserSummary } from '@/db/queries/users';
import { refuse, type Result } from '../errors';
import { renderMarkdown } from '../markdown';
import { commentRefSchema, editCommentSchema, postCommentSchema, voteSchema } from '../validation/comments';
import { fieldErrors } from '../validation/auth';
import { articleCache } from './article-cache';
import { canDeleteComment, canEditComment, canVoteOnComment } from './policy';

/*
 * The comment rules, in one place. Server actions (the forms) and the JSON API both call these
 * with the signed-in reader (or null) and the raw input, and get a Result back: validate,
 * authorize, write, then revalidate the cached pages that show the change.
 */

function invalid(error: z.ZodError) {
  const fields = fieldErrors(error);
  return refuse('invalid:comment', fields, fields.body ?? Object.values(fields)[0]);
}

export async function postComment(viewer: UserSummary | null, slug: string, input: unknown): Promise<Result<CommentView>> {
  if (!viewer) return refuse('unauthorized:comment');
  const parsed = postCommentSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const article = getArticleRef(slug);
  if (!article) return refuse('not_found:article');
  const { body, parentId, questionKey, clientToken } = parsed.data;

  let placement = { parentId: null as number | null, rootId: null as number | null, replyToId: null as number | null, depth: 0 };
  let questionId: number | null = null;
  if (parentId !== undefined) {
    const parent = getCommentForWrite(parentId);
    if (!parent || parent.articleId !== article.id) return refuse('not_found:comment');
    if (parent.status !== 'visible') return refuse('gone:comment');
    // Past the deepest level, a reply sits beside the comment it answers and names it.
    placement =
      parent.depth >= MAX_DEPTH
        ? { parentId: parent.parentId, rootId: parent.rootId, replyToId: parent.id, depth: MAX_DEPTH }
        : { parentId: parent.id, rootId: parent.rootId, replyToId: null, depth: parent.depth + 1 };
    questionId = parent.questionId; // replies inherit their thread's question
  } else if (questionKey !== undefined) {
    const question = getQuestionRef(article.id, questionKey);
    if (!question) return refuse('not_found:question', { questionKey: 'That question is not part of this article.' });
    questionId = question.id;
  }

  const { id } = insertComment({
    articleId: article.id,
    authorId: viewer.id,
    ...placement,
    questionId,
    bodyMarkdown: body,
    bodyHtml: renderMarkdown(body, 'comment'),
    status: 'visible',
    clientToken: clientToken ?? null,
  });
  articleCache.revalidate(article.slug);
  const comment = getCommentView(id);
  return comment ? { ok: true, value: comment } : refuse('not_found:comment');
}

/** Loads a comment for a change by its author, or says why not. */
function ownComment(viewer: UserSummary | null, commentId: number) {
  if (!viewer) return refuse('unauthorized:comment');
  const comment = getCommentForWrite(commentId);
  if (!comment) return refuse('not_found:comment');
  if (comment.status === 'deleted') return refuse('gone:comment');
  if (!canEditComment(viewer, comment)) return refuse('forbidden:comment');
  return { ok: true as const, value: comment };
}

export async function editComment(viewer: UserSummary | null, input: unknown): Promise<Result<CommentView>> {
  if (!viewer) return refuse('unauthorized:comment');
  const parsed = editCommentSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const found = ownComment(viewer, parsed.data.commentId);
  if (!found.ok) return found;
  // The question a comment answers is fixed: an edit changes the words only.
  updateCommentBody(found.value.id, parsed.data.body, renderMarkdown(parsed.data.body, 'comment'));
  const slug = getArticleSlug(found.value.articleId);
  if (slug) articleCache.revalidate(slug);
  const comment = getCommentView(found.value.id);
  return comment ? { ok: true, value: comment } : refuse('not_found:comment');
}

export async function deleteComment(viewer: UserSummary | null, input: unknown): Promise<Result<{ id: number }>> {
  if (!viewer) return refuse('unauthorized:comment');
  const parsed = commentRefSchema.safeParse(input);
  if (!parsed.success) return refuse('not_found:comment');
  const found = ownComment(viewer, parsed.data.commentId);
  if (!found.ok) return found;
  if (!canDeleteComment(viewer, found.value)) return refuse('forbidden:comment');
  softDeleteComment(found.value.id);
  const slug = getArticleSlug(found.value.articleId);
  if (slug) articleCache.revalidate(slug);
  return { ok: true, value: { id: found.value.id } };
}

export async function voteOnComment(
  viewer: UserSummary | null,
  input: unknown,
): Promise<Result<{ commentId: number; voted: boolean; score: number }>> {
  if (!viewer) return refuse('unauthorized:vote');
  const parsed = voteSchema.safeParse(input);
  if (!parsed.success) return refuse('not_found:comment');
  const comment = getCommentForWrite(parsed.data.commentId);
  if (!comment) return refuse('not_found:comment');
  if (comment.status !== 'visible') return refuse('gone:comment');
  if (!canVoteOnComment(viewer, comment)) return refuse('forbidden:vote_own');
  const want = parsed.data.vote === undefined ? undefined : parsed.data.vote === 'up';
  const result = toggleVote(comment.id, viewer.id, want);
  const slug = getArticleSlug(comment.articleId);
  if (slug) articleCache.revalidate(slug);
  return { ok: true, value: { commentId: comment.id, ...result } };
}
