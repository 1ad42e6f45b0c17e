'use server';

import crypto from 'node:crypto';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getArticleRef } from '@/db/queries/articles';
import { DRAFT_MAX_AGE_MS, deleteDraft, saveDraft } from '@/db/queries/comment-writes';
import { ADDRESS_LIMITS, takeLimit } from '@/app/_lib/rate-limit';
import { clientIp } from '@/app/_lib/http/client-ip';
import type { ActionState } from '@/app/_lib/http/action-state';
import { formAction } from '@/app/_lib/http/form-action';
import { rateLimits } from '@/app/_lib/limit-settings';
import { DRAFT_COOKIE } from '@/app/_lib/comments/draft';
import { giveStance } from '@/app/_lib/comments/polls';
import { REPORTED, deleteComment, editComment, postComment, previewComment, reportComment, undoDeleteComment, voteOnComment } from '@/app/_lib/comments/service';
import { decideComment, editAsModerator, featureComment } from '@/app/_lib/moderation/service';
import { parseView, articleViewHref, commentActionHref } from '@/app/_lib/comments/view';
import { isShownIn } from '@/app/_lib/comments/discussion';
import { loadArticle } from '@/app/_lib/content/article';
import type { UserSummary } from '@/db/queries/users';
import { COMMENT_MAX, isStorableText } from '@/app/_lib/comments/validation';
import { publicOrigin } from '@/app/_lib/content/site';
import { setDiscussionSubscription } from '@/app/_lib/notify/subscriptions';

/*
 * The discussion's form actions, mutations only. Each is a public POST endpoint: formAction
 * reads the form and the session, and the comment service (app/_lib/comments/service.ts)
 * validates and authorizes exactly as it does for the JSON API.
 */

/** The form's text fields as sent; the services validate them as they do JSON. */
const text = z.string().optional();
const onArticle = z.object({ articleSlug: z.string().catch(''), _js: text, view: text, then: text });
const onComment = onArticle.extend({ commentId: text });

/**
 * After an edit, delete or vote: data for a script, a redirect for a plain form post. A form on
 * a comment's focused page (then=article) has nothing left to show, so it always goes back, to
 * the article opened at the comment. A plain post from the discussion (a vote without
 * JavaScript) goes back to the view it came from, at the comment, as posting does.
 */
function finish<S extends ActionState>(form: z.output<typeof onArticle>, commentId: number, state: S, viewer: UserSummary | null): S {
  if (form._js === '1' && form.then !== 'article') return state;
  const view = parseView(new URLSearchParams(form.view ?? ''));
  if (form.then !== 'article') redirect(whereItShows(form.articleSlug, form.view, commentId, viewer));
  redirect(articleViewHref(form.articleSlug, view.comment || view.after ? view : { ...view, comment: commentId }, `#comment-${commentId}`));
}

/**
 * Where a reader who just posted is shown their comment: the view they posted from (its order,
 * question and page, sent as `view`), at the comment, when it is on that page; else the page of
 * the same order and question that opens at it.
 */
function whereItShows(slug: string, sentView: string | undefined, commentId: number, viewer: UserSummary | null): string {
  const view = { ...parseView(new URLSearchParams(sentView ?? '')), comment: null };
  const article = loadArticle(slug);
  const at = `#comment-${commentId}`;
  if (article && isShownIn(article, view, commentId, viewer)) return articleViewHref(slug, view, at);
  return articleViewHref(slug, { sort: view.sort, question: view.question, comment: commentId }, at);
}

/**
 * Posts a comment or reply, then shows it where the reader was. The comment box is
 * the same for every reader, so a signed-out reader's post comes here too: their text is kept
 * while they sign in.
 */
/** The comment box's state: a refusal, or (after "Preview") the text as it will show. */
export type CommentFormState = ActionState & { preview?: string };

const commentForm = onArticle.extend({ body: text, parentId: text, questionKey: text, clientToken: text, to: text, intent: text });

export const postCommentAction = formAction<typeof commentForm, CommentFormState>(
  commentForm,
  async (form, viewer) => {
    // "Preview": the same box, the same action, nothing stored; signed out too.
    if (form.intent === 'preview') {
      const preview = previewComment({ body: form.body });
      return preview.ok ? { status: 'idle', values: { body: form.body ?? '' }, preview: preview.value.html } : preview;
    }
    if (!viewer && !form.parentId) return keepDraftAndSignIn(form.articleSlug, form.body ?? '', form.view, form.to === 'signup' ? 'signup' : 'signin');
    const result = await postComment(viewer, form.articleSlug, form);
    if (!result.ok) return result;
    const jar = await cookies();
    const draft = jar.get(DRAFT_COOKIE)?.value;
    if (draft && !form.parentId) {
      deleteDraft(draft);
      jar.delete(DRAFT_COOKIE);
    }
    const id = result.value.id;
    redirect(whereItShows(form.articleSlug, form.view, id, viewer));
  },
  { echo: ['body'] },
);

export const editCommentAction = formAction(
  onComment.extend({ body: text }),
  async (form, viewer) => {
    const result = await editComment(viewer, form.articleSlug, form);
    return result.ok ? finish(form, result.value.id, { status: 'ok', message: 'Saved.', values: { body: form.body ?? '' } }, viewer) : result;
  },
  { echo: ['body'] },
);

/** Deletes, then shows "Deleted · Undo" on the comment's delete page, with or without JavaScript. */
export const deleteCommentAction = formAction(onComment, async (form, viewer) => {
  const result = await deleteComment(viewer, form.articleSlug, form);
  if (!result.ok) return result;
  // Asked in place on the article, with JavaScript: the form says it there, with its Undo.
  if (form.then === 'here' && form._js === '1') return { status: 'ok', message: 'Your comment was deleted.' };
  redirect(`${commentActionHref(form.articleSlug, result.value.id, 'delete')}#form`);
});

/** "Undo" a delete: back to the article at the comment, as it was. */
export const undoDeleteAction = formAction(onComment, async (form, viewer) => {
  const result = await undoDeleteComment(viewer, form.articleSlug, form);
  if (!result.ok) return result;
  const id = result.value.id;
  redirect(articleViewHref(form.articleSlug, { comment: id }, `#comment-${id}`));
});

export type VoteState = ActionState & { voted?: boolean; score?: number };

const voteForm = onComment.extend({ vote: text });

export const voteAction = formAction<typeof voteForm, VoteState>(voteForm, async (form, viewer) => {
  const result = await voteOnComment(viewer, form.articleSlug, form);
  if (!result.ok) return result;
  const { commentId, voted, score } = result.value;
  return finish<VoteState>(form, commentId, { status: 'ok', voted, score }, viewer);
});

export const reportCommentAction = formAction(
  onComment.extend({ reason: text, details: text }),
  async (form, viewer) => {
    const result = await reportComment(viewer, form.articleSlug, form);
    if (!result.ok) return result;
    const message = result.value.duplicate ? REPORTED.duplicate : REPORTED.sent;
    return finish(form, result.value.commentId, { status: 'ok', message }, viewer);
  },
  { echo: ['details'] },
);

/* Moderators' shortcuts on the article page; the same service as the moderation queue. */
export const featureCommentAction = formAction(onComment.extend({ featured: text }), async (form, viewer) => {
  const result = await featureComment(viewer, form);
  return result.ok ? finish(form, result.value.commentId, { status: 'ok' }, viewer) : result;
});

export const hideCommentAction = formAction(onComment, async (form, viewer) => {
  const result = await decideComment(viewer, 'reject', { ...form, reason: 'Hidden from the article page' });
  return result.ok ? finish(form, result.value.commentId, { status: 'ok' }, viewer) : result;
});

/** A moderator's edit, with its reason: back to the article at the comment, as after the author's. */
export const editAsModeratorAction = formAction(
  onComment.extend({ body: text, reason: text }),
  async (form, viewer) => {
    const result = await editAsModerator(viewer, form);
    return result.ok ? finish(form, result.value.commentId, { status: 'ok', message: 'Saved.' }, viewer) : result;
  },
  { echo: ['body', 'reason'] },
);

/** A one-click answer to a closed question; back to the question without JavaScript. */
export const giveStanceAction = formAction(onArticle.extend({ questionKey: z.string().catch(''), choice: text }), async (form, viewer) => {
  const result = await giveStance(viewer, form.articleSlug, form);
  if (!result.ok) return result;
  if (form._js === '1') return { status: 'ok', values: { choice: result.value.choice } };
  redirect(`/articles/${encodeURIComponent(form.articleSlug)}#question-${form.questionKey}`);
});

/**
 * A signed-out reader pressed "Sign in to post" (or, with JavaScript, followed a sign-in or sign-up
 * link with text in the box): keep what they typed on the server (under a random token in an
 * HttpOnly cookie), and send them to sign in and back to the form, in the view they wrote in, so
 * an answer comes back to its question.
 */
async function keepDraftAndSignIn(slug: string, typed: string, sentView: string | undefined, to: 'signin' | 'signup'): Promise<never> {
  const article = getArticleRef(slug);
  const view = parseView(new URLSearchParams(sentView ?? ''));
  const returnTo = articleViewHref(article?.slug ?? '', { sort: view.sort, question: view.question }, '#comment-form');
  const body = [...typed].slice(0, COMMENT_MAX * 2).join(''); // whole characters, never half a pair
  // Anyone may keep a draft, so drafts are limited per address like sign-ups.
  const allowed = takeLimit(ADDRESS_LIMITS.draft, clientIp(await headers()), rateLimits().draftsPerIp).allowed;
  if (article && body.trim() && isStorableText(body) && allowed) {
    const token = crypto.randomBytes(24).toString('base64url');
    saveDraft(token, article.id, body);
    (await cookies()).set(DRAFT_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: publicOrigin(await headers()).startsWith('https:'),
      path: '/',
      maxAge: DRAFT_MAX_AGE_MS / 1000,
    });
  }
  redirect(`/${to}?callbackUrl=${encodeURIComponent(article ? returnTo : '/')}`);
}

/** "Email me about new comments" and its undo; back to the button without JavaScript. */
export const subscribeAction = formAction(onArticle.extend({ want: z.enum(['on', 'off']).catch('on') }), async (form, viewer) => {
  const result = setDiscussionSubscription(viewer, form.articleSlug, form.want === 'on');
  if (!result.ok) return result;
  if (form._js === '1') return { status: 'ok', message: result.value.message, values: { subscribed: result.value.subscribed ? 'yes' : 'no' } };
  redirect(articleViewHref(form.articleSlug, parseView(new URLSearchParams(form.view ?? '')), '#discussion-subscribe'));
});
