import 'server-only';
import type { z } from 'zod';
import { getArticleRef, getArticleRefById, getQuestionRef, type ArticleRef } from '@/db/queries/articles';
import { countRefusal, takeLimit } from '../rate-limit';
import { metrics } from '../ops/metrics';
import {
  replyPlacement,
  findByClientToken,
  getCommentForWrite,
  getCommentView,
  hasApprovedComment,
  recentDuplicate,
  type CommentView,
} from '@/db/queries/comments';
import { editCommentBody, insertComment, reportComment as saveReport, restoreDeletedComment, softDeleteComment, toggleVote } from '@/db/queries/comment-writes';
import type { UserSummary } from '@/db/queries/users';
import { refuse, type Refusal, type Result } from '../http/errors';
import { check, isStaff } from '../permissions';
import { moderationSettings } from '../moderation/settings';
import { throttle, waitText } from '../moderation/flood-control';
import { UNDO_MS } from '../limits';
import { rateLimits } from '../limit-settings';
import { renderMarkdown } from '../content/markdown';
import { commentRefSchema, editCommentSchema, postCommentSchema, reportSchema, voteSchema } from './validation';
import { fieldErrors } from '../auth/validation';
import { articleCache } from './article-cache';
import { settings as siteSettings } from '../config.mjs';

/*
 * The comment rules, in one place. Server actions (the forms) and the JSON API both call these
 * with the signed-in reader (or null) and the raw input, and get a Result back: validate,
 * authorize, write, then revalidate the cached pages that show the change.
 */

function invalid(error: z.ZodError) {
  const fields = fieldErrors(error);
  return refuse('invalid:comment', fields, fields.body ?? Object.values(fields)[0]);
}

/**
 * Flood control for one reader: one comment per interval, a cap per hour, and no repeat of the
 * same text within the window. Synchronous with the insert that follows, so parallel posts by
 * one reader cannot all slip through.
 */
function floodCheck(viewer: UserSummary, body: string): Refusal | null {
  const limits = rateLimits();
  const settings = limits.comments;
  if (limits.readerLimitsOff || isStaff(viewer)) return null;
  if (settings.duplicateWindowMs > 0 && recentDuplicate(viewer.id, body, new Date(Date.now() - settings.duplicateWindowMs))) {
    countRefusal('comment:duplicate');
    return refuse('rate_limited:comment', undefined, 'You posted this same comment a few minutes ago. Write something new, or edit the one you posted.');
  }
  if (settings.minIntervalMs > 0) {
    const interval = takeLimit('comment:interval', viewer.id, { limit: 1, windowMs: settings.minIntervalMs });
    if (!interval.allowed) {
      return refuse('rate_limited:comment', undefined, `You are posting too fast. Try again in ${waitText(interval.retryAfterMs)}.`);
    }
  }
  const hourly = takeLimit('comment:hour', viewer.id, { limit: settings.perHour, windowMs: 60 * 60_000 });
  if (!hourly.allowed) {
    return refuse(
      'rate_limited:comment',
      undefined,
      `You have posted ${settings.perHour} comments in the last hour. Try again in ${waitText(hourly.retryAfterMs)}.`,
    );
  }
  return null;
}

/** Whether a new or edited comment waits for a moderator, and why. Moderators are trusted. */
function holdReason(viewer: UserSummary, article: ArticleRef, body: string, html: string, isNew: boolean): string | null {
  if (isStaff(viewer)) return null;
  const settings = moderationSettings();
  const policy = article.moderation === 'site' ? settings.premoderation : article.moderation;
  if (isNew && policy === 'all') return 'premoderation';
  if (isNew && policy === 'first' && !hasApprovedComment(viewer.id)) return 'first comment';
  if (isNew && settings.requireVerifiedEmail && !viewer.emailVerified) return 'unverified email';
  if (settings.holdLinksAt > 0 && (html.match(/<a\s/g) ?? []).length >= settings.holdLinksAt) return 'links';
  const lower = body.toLowerCase();
  if (settings.heldWords.some((word) => lower.includes(word))) return 'words';
  return null;
}

/**
 * What a comment's text will look like once posted: the same checks of the text and the same
 * Markdown renderer and sanitizer as a post, with nothing stored. Anyone may preview.
 */
export function previewComment(input: unknown): Result<{ html: string }> {
  const parsed = editCommentSchema.pick({ body: true }).safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  return { ok: true, value: { html: renderMarkdown(parsed.data.body, 'comment') } };
}

export async function postComment(viewer: UserSummary | null, slug: string, input: unknown): Promise<Result<CommentView>> {
  if (!viewer) return check(viewer, 'post')!;
  const parsed = postCommentSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const article = getArticleRef(slug);
  const barred = check(viewer, 'post', { article });
  if (barred) return barred;
  if (!article) return refuse('not_found:article');
  const { body, parentId, questionKey, clientToken } = parsed.data;

  // A second submit of the same form returns the first comment, before any limit counts it.
  const repeat = clientToken ? findByClientToken(viewer.id, clientToken) : null;
  if (repeat) {
    const existing = getCommentView(repeat);
    if (existing) return { ok: true, value: existing };
  }

  let placement = { parentId: null as number | null, rootId: null as number | null, replyToId: null as number | null, depth: 0 };
  let questionId: number | null = null;
  if (parentId !== undefined) {
    const parent = getCommentForWrite(parentId);
    if (!parent || parent.articleId !== article.id) return refuse('not_found:comment');
    const refused = check(viewer, 'reply', { article, comment: parent });
    if (refused) return refused;
    placement = replyPlacement(parent);
    questionId = parent.questionId; // replies inherit their thread's question
  } else if (questionKey !== undefined) {
    const question = getQuestionRef(article.id, questionKey);
    if (!question) return refuse('not_found:question', { questionKey: 'That question is not part of this article.' });
    questionId = question.id;
  }

  const flood = floodCheck(viewer, body);
  if (flood) return flood;

  const html = renderMarkdown(body, 'comment');
  const held = holdReason(viewer, article, body, html, true);
  const { id } = insertComment({
    articleId: article.id,
    authorId: viewer.id,
    ...placement,
    questionId,
    bodyMarkdown: body,
    bodyHtml: html,
    status: held ? 'pending' : 'visible',
    moderationReason: held,
    clientToken: clientToken ?? null,
    notify: !siteSettings().NOTIFY_OFF,
  });
  const counted = metrics();
  counted.commentsPosted.inc();
  if (held) counted.commentsHeld.inc();
  if (!held) articleCache.revalidate(article.slug, viewer.id);
  const comment = getCommentView(id);
  return comment ? { ok: true, value: comment } : refuse('not_found:comment');
}

/**
 * Whether a comment belongs to the discussion a form was posted from. Ids are global, so a
 * form on one article could otherwise name another article's comment; such an id is treated as
 * unknown, as it is for a reply's parent.
 */
function isOnArticle(comment: { articleId: number }, slug: string): boolean {
  return getArticleRef(slug)?.id === comment.articleId;
}

/** Loads a comment of this article for a change by its author, or says why not. */
function ownComment(viewer: UserSummary, slug: string, commentId: number, action: 'edit' | 'delete') {
  const comment = getCommentForWrite(commentId);
  if (!comment || !isOnArticle(comment, slug)) return refuse('not_found:comment');
  const article = getArticleRefById(comment.articleId);
  if (!article) return refuse('not_found:article');
  return check(viewer, action, { article, comment }) ?? { ok: true as const, value: { comment, article } };
}

export async function editComment(viewer: UserSummary | null, slug: string, input: unknown): Promise<Result<CommentView>> {
  if (!viewer) return check(viewer, 'edit')!;
  const parsed = editCommentSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const found = ownComment(viewer, slug, parsed.data.commentId, 'edit');
  if (!found.ok) return found;
  const { comment: own, article } = found.value;
  const throttled = throttle(viewer, 'edits');
  if (throttled) return throttled;
  // The question a comment answers is fixed: an edit changes the words only.
  const html = renderMarkdown(parsed.data.body, 'comment');
  // An edit that adds links or held words goes back for review, so edits cannot smuggle spam.
  const hold = holdReason(viewer, article, parsed.data.body, html, false);
  editCommentBody(own.id, { markdown: parsed.data.body, html }, { userId: viewer.id, as: 'author', reason: null }, hold);
  articleCache.revalidate(article.slug, viewer.id);
  const comment = getCommentView(own.id);
  return comment ? { ok: true, value: comment } : refuse('not_found:comment');
}

export async function deleteComment(viewer: UserSummary | null, slug: string, input: unknown): Promise<Result<{ id: number }>> {
  if (!viewer) return check(viewer, 'delete')!;
  const parsed = commentRefSchema.safeParse(input);
  if (!parsed.success) return refuse('not_found:comment');
  const found = ownComment(viewer, slug, parsed.data.commentId, 'delete');
  if (!found.ok) return found;
  softDeleteComment(found.value.comment.id, UNDO_MS);
  articleCache.revalidate(found.value.article.slug, viewer.id);
  return { ok: true, value: { id: found.value.comment.id } };
}

/**
 * The author takes back a delete, within UNDO_MS: the comment returns exactly as it was (text,
 * status, place, votes). Anyone else is told there is no such comment; the delete's own rule
 * (a ban, a closed discussion) applies as if the comment were still there.
 */
export async function undoDeleteComment(viewer: UserSummary | null, slug: string, input: unknown): Promise<Result<{ id: number }>> {
  if (!viewer) return check(viewer, 'delete')!;
  const parsed = commentRefSchema.safeParse(input);
  if (!parsed.success) return refuse('not_found:comment');
  const comment = getCommentForWrite(parsed.data.commentId);
  if (!comment || !isOnArticle(comment, slug) || comment.authorId !== viewer.id) return refuse('not_found:comment');
  const article = getArticleRefById(comment.articleId);
  if (!article) return refuse('not_found:article');
  const barred = check(viewer, 'delete', { article, comment: { ...comment, status: 'visible' } });
  if (barred) return barred;
  if (!restoreDeletedComment(comment.id)) return refuse('gone:comment', undefined, 'Too late to undo: the comment stays deleted.');
  articleCache.revalidate(article.slug, viewer.id);
  return { ok: true, value: { id: comment.id } };
}

export async function voteOnComment(
  viewer: UserSummary | null,
  slug: string,
  input: unknown,
): Promise<Result<{ commentId: number; voted: boolean; score: number }>> {
  if (!viewer) return check(viewer, 'vote')!;
  const parsed = voteSchema.safeParse(input);
  if (!parsed.success) return refuse('not_found:comment');
  const comment = getCommentForWrite(parsed.data.commentId);
  if (!comment || !isOnArticle(comment, slug)) return refuse('not_found:comment');
  const refused = check(viewer, 'vote', { article: getArticleRefById(comment.articleId), comment });
  if (refused) return refused;
  const throttled = throttle(viewer, 'votes');
  if (throttled) return throttled;
  const want = parsed.data.vote === undefined ? undefined : parsed.data.vote === 'up';
  const result = toggleVote(comment.id, viewer.id, want);
  articleCache.revalidate(slug, viewer.id);
  return { ok: true, value: { commentId: comment.id, ...result } };
}

/** What a reader is told once a report is in: by the report form, and by the focused report page. */
export const REPORTED = {
  sent: 'Thank you. The moderators will look at it.',
  duplicate: 'You have already reported this comment.',
} as const;

/** A reader reports a comment, once; enough reports hide it until a moderator looks. */
export async function reportComment(viewer: UserSummary | null, slug: string, input: unknown): Promise<Result<{ commentId: number; hidden: boolean; duplicate: boolean }>> {
  if (!viewer) return check(viewer, 'report')!;
  const parsed = reportSchema.safeParse(input);
  if (!parsed.success) {
    // The form shows one message: the problem itself ("Say what is wrong with it."), not a generic one.
    const fields = fieldErrors(parsed.error);
    return refuse('invalid:report', fields, Object.values(fields)[0]);
  }
  const comment = getCommentForWrite(parsed.data.commentId);
  if (!comment || !isOnArticle(comment, slug)) return refuse('not_found:comment');
  const article = getArticleRefById(comment.articleId);
  if (!article) return refuse('not_found:article');
  const refused = check(viewer, 'report', { article, comment });
  if (refused) return refused;
  const result = saveReport({
    commentId: comment.id,
    userId: viewer.id,
    reason: parsed.data.reason,
    details: parsed.data.details ?? null,
    threshold: moderationSettings().reportThreshold,
    reporterMinAgeMs: moderationSettings().reporterMinAgeMs,
  });
  if (!result.duplicate) metrics().reports.inc();
  if (result.hidden) {
    articleCache.revalidate(article.slug, viewer.id);
  }
  return { ok: true, value: { commentId: comment.id, ...result } };
}
