'use server';

import crypto from 'node:crypto';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getArticleRef } from '@/db/queries/articles';
import { deleteDraft, saveDraft } from '@/db/queries/comment-writes';
import { hitRateLimit } from '@/db/queries/rate-limits';
import { clientIp } from '@/app/_lib/http/client-ip';
import type { ActionState } from '@/app/_lib/http/action-state';
import { formAction } from '@/app/_lib/http/form-action';
import { rateLimits } from '@/app/_lib/limits';
import { DRAFT_COOKIE } from '@/app/_lib/comments/draft';
import { giveStance } from '@/app/_lib/comments/polls';
import { REPORTED, deleteComment, editComment, postComment, reportComment, voteOnComment } from '@/app/_lib/comments/service';
import { decideComment, featureComment } from '@/app/_lib/moderation/service';
import { parseView, articleViewHref } from '@/app/_lib/comments/view';
import { isShownIn } from '@/app/_lib/comments/discussion';
import { loadArticle } from '@/app/_lib/content/article';
import type { UserSummary } from '@/db/queries/users';
import { COMMENT_MAX, isStorableText } from '@/app/_lib/comments/validation';
import { publicOrigin } from '@/app/_lib/content/site';

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
 * a comment's focused page (then=article) has nothing left to show, so it always goes back.
 */
function finish<S extends ActionState>(form: z.output<typeof onArticle>, commentId: number, state: S): S {
  if (form._js === '1' && form.then !== 'article') return state;
  const view = parseView(new URLSearchParams(form.view ?? ''));
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
export const postCommentAction = formAction(
  onArticle.extend({ body: text, parentId: text, questionKey: text, clientToken: text }),
  async (form, viewer) => {
    if (!viewer && !form.parentId) return keepDraftAndSignIn(form.articleSlug, form.body ?? '');
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
    return result.ok ? finish(form, result.value.id, { status: 'ok', message: 'Saved.', values: { body: form.body ?? '' } }) : result;
  },
  { echo: ['body'] },
);

export const deleteCommentAction = formAction(onComment, async (form, viewer) => {
  const result = await deleteComment(viewer, form.articleSlug, form);
  return result.ok ? finish(form, result.value.id, { status: 'ok', message: 'Comment deleted.' }) : result;
});

export type VoteState = ActionState & { voted?: boolean; score?: number };

const voteForm = onComment.extend({ vote: text });

export const voteAction = formAction<typeof voteForm, VoteState>(voteForm, async (form, viewer) => {
  const result = await voteOnComment(viewer, form.articleSlug, form);
  if (!result.ok) return result;
  const { commentId, voted, score } = result.value;
  return finish<VoteState>(form, commentId, { status: 'ok', voted, score });
});

export const reportCommentAction = formAction(
  onComment.extend({ reason: text, details: text }),
  async (form, viewer) => {
    const result = await reportComment(viewer, form.articleSlug, form);
    if (!result.ok) return result;
    const message = result.value.duplicate ? REPORTED.duplicate : REPORTED.sent;
    return finish(form, result.value.commentId, { status: 'ok', message });
  },
  { echo: ['details'] },
);

/* Moderators' shortcuts on the article page; the same service as the moderation queue. */
export const featureCommentAction = formAction(onComment.extend({ featured: text }), async (form, viewer) => {
  const result = await featureComment(viewer, form);
  return result.ok ? finish(form, result.value.commentId, { status: 'ok' }) : result;
});

export const hideCommentAction = formAction(onComment, async (form, viewer) => {
  const result = await decideComment(viewer, 'reject', { ...form, reason: 'Hidden from the article page' });
  return result.ok ? finish(form, result.value.commentId, { status: 'ok' }) : result;
});

/** A one-click answer to a closed question; back to the question without JavaScript. */
export const giveStanceAction = formAction(onArticle.extend({ questionKey: z.string().catch(''), choice: text }), async (form, viewer) => {
  const result = await giveStance(viewer, form.articleSlug, form);
  if (!result.ok) return result;
  if (form._js === '1') return { status: 'ok', values: { choice: result.value.choice } };
  redirect(`/articles/${encodeURIComponent(form.articleSlug)}#question-${form.questionKey}`);
});

/**
 * A signed-out reader pressed "Sign in to post": keep what they typed on the server (under a
 * random token in an HttpOnly cookie), and send them to sign in and back to the form.
 */
async function keepDraftAndSignIn(slug: string, typed: string): Promise<never> {
  const article = getArticleRef(slug);
  const returnTo = `/articles/${article?.slug ?? ''}#comment-form`;
  const body = [...typed].slice(0, COMMENT_MAX * 2).join(''); // whole characters, never half a pair
  // Anyone may keep a draft, so drafts are limited per address like sign-ups.
  const { limit, windowMs } = rateLimits().draftsPerIp;
  const allowed = hitRateLimit(`draft:ip:${clientIp(await headers())}`, limit, windowMs).allowed;
  if (article && body.trim() && isStorableText(body) && allowed) {
    const token = crypto.randomBytes(24).toString('base64url');
    saveDraft(token, article.id, body);
    (await cookies()).set(DRAFT_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: publicOrigin(await headers()).startsWith('https:'),
      path: '/',
      maxAge: 24 * 60 * 60,
    });
  }
  redirect(`/signin?callbackUrl=${encodeURIComponent(article ? returnTo : '/')}`);
}
