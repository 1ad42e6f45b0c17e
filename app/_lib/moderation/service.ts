import 'server-only';
import type { z } from 'zod';
import { getArticleRef, listArticles, type ArticleRef } from '@/db/queries/articles';
import { listModerationLog } from '@/db/queries/audit';
import { getCommentArticleSlug, getCommentForWrite } from '@/db/queries/comments';
import { decideCommentStatus, decideCommentStatuses, editCommentBody, setFeatured } from '@/db/queries/comment-writes';
import {
  banUser,
  getUserRole,
  listBannedUsers,
  listModerationQueue,
  setArticleClosed,
  setArticleModeration,
  unbanUser,
} from '@/db/queries/moderation';
import type { UserSummary } from '@/db/queries/users';
import { articleCache } from '../comments/article-cache';
import { check, type Action } from '../permissions';
import { refuse, type Refusal, type Result } from '../http/errors';
import { loadUser } from '../auth/roles';
import { fieldErrors } from '../auth/validation';
import {
  articleClosedSchema,
  articlePolicySchema,
  banSchema,
  bulkDecisionSchema,
  commentDecisionSchema,
  featureSchema,
  moderatorEditSchema,
  unbanSchema,
} from './validation';
import { renderMarkdown } from '../content/markdown';
import { REJECTED_REASON } from '@/db/enums';

/*
 * Moderation, one function per action. Each checks the role itself (a page that hides the
 * buttons protects nothing), validates, writes the change and its audit entry (who did what and
 * why) in one transaction, and refreshes the cached pages that show the change.
 */

/** A refused form says its first problem, as the moderation forms show one message. */
function invalid(error: z.ZodError): Refusal {
  const fields = fieldErrors(error);
  return refuse('invalid:moderation', fields, Object.values(fields)[0]);
}

/** Who may moderate at all, asked before the input is read; the target is checked once loaded. */
function mustModerate(viewer: UserSummary | null, action: Action): Refusal | null {
  return check(viewer, action);
}

/** A comment named from an article page must be on that article; from the queue, any will do. */
function isInScope(comment: { articleId: number }, articleSlug: string | undefined): boolean {
  return articleSlug === undefined || getArticleRef(articleSlug)?.id === comment.articleId;
}

/** The moderator is the writer: the page they are sent back to shows their decision at once. */
function refreshCommentArticle(commentId: number, moderator: UserSummary): void {
  const slug = getCommentArticleSlug(commentId);
  if (slug) articleCache.revalidate(slug, moderator.id);
}

type Decision = 'approve' | 'reject' | 'restore';

/** What a moderator's decision writes: the status it moves to, why, and its audit entry. */
function decisionWrite(viewer: UserSummary, decision: Decision, commentId: number, reason?: string) {
  return {
    commentId,
    status: decision === 'reject' ? ('hidden' as const) : ('visible' as const),
    reason: decision === 'reject' ? REJECTED_REASON : null,
    audit: { actorId: viewer.id, action: `comment.${decision}`, targetType: 'comment', targetId: commentId, reason } as const,
  };
}

/** Approve a held or reported comment, reject (hide) one, or restore a hidden one. */
export async function decideComment(viewer: UserSummary | null, decision: Decision, input: unknown): Promise<Result<{ commentId: number }>> {
  const denied = mustModerate(viewer, decision);
  if (denied || !viewer) return denied!;
  const parsed = commentDecisionSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const comment = getCommentForWrite(parsed.data.commentId);
  if (!comment || !isInScope(comment, parsed.data.articleSlug)) return refuse('not_found:comment');
  const refused = check(viewer, decision, { comment });
  if (refused) return refused;
  const write = decisionWrite(viewer, decision, comment.id, parsed.data.reason);
  const changed = decideCommentStatus(comment.id, write.status, write.reason, write.audit);
  if (!changed) return refuse('not_found:comment');
  refreshCommentArticle(comment.id, viewer);
  return { ok: true, value: { commentId: comment.id } };
}

/**
 * The queue's bulk approve or reject: each ticked comment decided as its own button would, so
 * "Approve" on a comment readers' reports hid is its Restore. One the viewer may not decide, or
 * that was decided meanwhile, is counted as skipped; the others move together, in one transaction.
 */
export async function decideComments(
  viewer: UserSummary | null,
  input: unknown,
): Promise<Result<{ decision: 'approve' | 'reject'; decided: number; skipped: number }>> {
  const denied = mustModerate(viewer, 'approve') ?? mustModerate(viewer, 'reject');
  if (denied || !viewer) return denied!;
  const parsed = bulkDecisionSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { decision } = parsed.data;
  const ids = [...new Set(parsed.data.commentId)];
  const byArticle = new Map<number, number>();
  const decisions = ids.flatMap((id) => {
    const comment = getCommentForWrite(id);
    if (!comment) return [];
    const action = decision === 'reject' ? 'reject' : comment.status === 'hidden' ? 'restore' : 'approve';
    if (check(viewer, action, { comment })) return [];
    byArticle.set(comment.articleId, comment.id);
    return [decisionWrite(viewer, action, comment.id)];
  });
  const decided = decideCommentStatuses(decisions).length;
  for (const commentId of byArticle.values()) refreshCommentArticle(commentId, viewer);
  return { ok: true, value: { decision, decided, skipped: ids.length - decided } };
}

export async function featureComment(viewer: UserSummary | null, input: unknown): Promise<Result<{ commentId: number; featured: boolean }>> {
  const denied = mustModerate(viewer, 'feature');
  if (denied || !viewer) return denied!;
  const parsed = featureSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const comment = getCommentForWrite(parsed.data.commentId);
  if (!comment || !isInScope(comment, parsed.data.articleSlug)) return refuse('not_found:comment');
  const refused = check(viewer, 'feature', { comment });
  if (refused) return refused;
  setFeatured(comment.id, parsed.data.featured, {
    actorId: viewer.id,
    action: parsed.data.featured ? 'comment.feature' : 'comment.unfeature',
    targetType: 'comment',
    targetId: comment.id,
  });
  refreshCommentArticle(comment.id, viewer);
  return { ok: true, value: { commentId: comment.id, featured: parsed.data.featured } };
}

/**
 * A moderator changes a comment's words (to take out an address, say), with a reason. The text
 * it replaces stays in the comment's history, where readers see "a moderator" and the reason;
 * the audit log names the moderator. A moderator's text is not held for review.
 */
export async function editAsModerator(viewer: UserSummary | null, input: unknown): Promise<Result<{ commentId: number; changed: boolean }>> {
  const denied = mustModerate(viewer, 'editAsModerator');
  if (denied || !viewer) return denied!;
  const parsed = moderatorEditSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const comment = getCommentForWrite(parsed.data.commentId);
  if (!comment || !isInScope(comment, parsed.data.articleSlug)) return refuse('not_found:comment');
  const refused = check(viewer, 'editAsModerator', { comment });
  if (refused) return refused;
  const { body, reason } = parsed.data;
  const changed = editCommentBody(
    comment.id,
    { markdown: body, html: renderMarkdown(body, 'comment') },
    { userId: viewer.id, as: 'moderator', reason },
    null,
    { actorId: viewer.id, action: 'comment.edit', targetType: 'comment', targetId: comment.id, reason },
  );
  if (changed) refreshCommentArticle(comment.id, viewer);
  return { ok: true, value: { commentId: comment.id, changed } };
}

export async function banReader(viewer: UserSummary | null, input: unknown): Promise<Result<{ userId: string; hidden: number }>> {
  const denied = mustModerate(viewer, 'ban');
  if (denied || !viewer) return denied!;
  const parsed = banSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const role = loadUser(parsed.data.userId)?.role;
  if (!role) return refuse('not_found:user');
  const refused = check(viewer, 'ban', { user: { id: parsed.data.userId, role } });
  if (refused) return refused;
  const { hidden } = banUser(
    parsed.data.userId,
    { until: parsed.data.until ?? null, reason: parsed.data.reason, hideComments: parsed.data.hideComments },
    {
      actorId: viewer.id,
      action: parsed.data.hideComments ? 'user.ban_and_hide' : 'user.ban',
      targetType: 'user',
      targetId: parsed.data.userId,
      reason: `${parsed.data.reason}${parsed.data.until ? ` (until ${parsed.data.until.toISOString().slice(0, 10)})` : ''}`,
    },
  );
  if (hidden > 0) articleCache.revalidateAll(viewer.id);
  return { ok: true, value: { userId: parsed.data.userId, hidden } };
}

export async function unbanReader(viewer: UserSummary | null, input: unknown): Promise<Result<{ userId: string }>> {
  const denied = mustModerate(viewer, 'unban');
  if (denied || !viewer) return denied!;
  const parsed = unbanSchema.safeParse(input);
  if (!parsed.success) return refuse('not_found:user');
  if (!getUserRole(parsed.data.userId)) return refuse('not_found:user');
  unbanUser(parsed.data.userId, { actorId: viewer.id, action: 'user.unban', targetType: 'user', targetId: parsed.data.userId });
  return { ok: true, value: { userId: parsed.data.userId } };
}

export async function setDiscussionPolicy(viewer: UserSummary | null, input: unknown): Promise<Result<{ slug: string }>> {
  const denied = mustModerate(viewer, 'setPolicy');
  if (denied || !viewer) return denied!;
  const parsed = articlePolicySchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const article = getArticleRef(parsed.data.slug);
  if (!article) return refuse('not_found:article');
  setArticleModeration(article.id, parsed.data.moderation, {
    actorId: viewer.id,
    action: `article.moderation.${parsed.data.moderation}`,
    targetType: 'article',
    targetId: article.slug,
  });
  return { ok: true, value: { slug: article.slug } };
}

export async function setDiscussionClosed(viewer: UserSummary | null, input: unknown): Promise<Result<{ slug: string; closed: boolean }>> {
  const denied = mustModerate(viewer, 'close');
  if (denied || !viewer) return denied!;
  const parsed = articleClosedSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const article = getArticleRef(parsed.data.slug);
  if (!article) return refuse('not_found:article');
  setArticleClosed(article.id, parsed.data.closed, {
    actorId: viewer.id,
    action: parsed.data.closed ? 'article.close' : 'article.reopen',
    targetType: 'article',
    targetId: article.slug,
  });
  articleCache.revalidate(article.slug, viewer.id);
  return { ok: true, value: { slug: article.slug, closed: parsed.data.closed } };
}

export async function readAuditLog(viewer: UserSummary | null): Promise<Result<ReturnType<typeof listModerationLog>>> {
  return check(viewer, 'readAuditLog') ?? { ok: true, value: listModerationLog() };
}

/** The queue page's data: held and reported comments, the discussions, and who is banned. */
export async function readModerationQueue(viewer: UserSummary | null): Promise<
  Result<{
    queue: ReturnType<typeof listModerationQueue>;
    banned: ReturnType<typeof listBannedUsers>;
    articles: { slug: string; title: string; moderation: ArticleRef['moderation']; closedAt: Date | null }[];
  }>
> {
  const refused = check(viewer, 'readQueue');
  if (refused) return refused;
  const articles = listArticles().flatMap((a) => {
    const ref = getArticleRef(a.slug);
    return ref ? [{ slug: a.slug, title: a.title, moderation: ref.moderation, closedAt: ref.closedAt }] : [];
  });
  return { ok: true, value: { queue: listModerationQueue(), banned: listBannedUsers(), articles } };
}

