'use server';

import crypto from 'node:crypto';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getArticleBySlug, getArticleRef } from '@/db/queries/articles';
import { deleteDraft, saveDraft } from '@/db/queries/comments';
import { hitRateLimit } from '@/db/queries/rate-limits';
import { clientIp } from '@/app/_lib/http/client-ip';
import { formValues, type ActionState, type ActionStatus } from '@/app/_lib/http/action-state';
import { loadDiscussion } from '@/app/_lib/comments/discussion';
import { DRAFT_COOKIE } from '@/app/_lib/comments/draft';
import { giveStance } from '@/app/_lib/comments/polls';
import { deleteComment, editComment, postComment, reportComment, voteOnComment } from '@/app/_lib/comments/service';
import { decideComment, featureComment } from '@/app/_lib/moderation/service';
import { parseView, articleViewHref } from '@/app/_lib/comments/view';
import type { ErrorCode, Refusal } from '@/app/_lib/http/errors';
import { getCurrentUser } from '@/app/_lib/auth/session';
import { publicOrigin } from '@/app/_lib/content/site';
import { COMMENT_MAX, isStorableText } from '@/app/_lib/comments/validation';
import { ThreadList } from './_components/thread-list';

/*
 * The discussion's form actions. Each is a public POST endpoint: it reads the session itself
 * and hands the raw form to the comment service (app/_lib/comments/service.ts), which
 * validates and authorizes exactly as it does for the JSON API.
 */

function statusOf(code: ErrorCode): ActionStatus {
  const kind = code.split(':')[0];
  return kind === 'unauthorized' ? 'unauthorized' : kind === 'forbidden' ? 'forbidden' : 'invalid';
}

function refused(refusal: Refusal, values: Record<string, string>): ActionState {
  return { status: statusOf(refusal.code), message: refusal.message, fields: refusal.fields, values };
}

function text(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === 'string' ? value : '';
}

function permalink(slug: string, commentId: number): string {
  return articleViewHref(slug, { comment: commentId }, `#comment-${commentId}`);
}

/** Posts a comment or reply, then opens the page at it, wherever it landed. */
export async function postCommentAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const slug = text(formData, 'articleSlug');
  const values = formValues(formData, ['body']);
  const result = await postComment(await getCurrentUser(), slug, {
    body: formData.get('body'),
    parentId: formData.get('parentId'),
    questionKey: formData.get('questionKey'),
    clientToken: formData.get('clientToken'),
  });
  if (!result.ok) return refused(result, values);

  const jar = await cookies();
  const draft = jar.get(DRAFT_COOKIE)?.value;
  if (draft && !formData.get('parentId')) {
    deleteDraft(draft);
    jar.delete(DRAFT_COOKIE);
  }
  redirect(permalink(slug, result.value.id));
}

/** After an edit, delete or vote: data for a script, a redirect for a plain form post. */
function finish<S extends ActionState>(formData: FormData, slug: string, commentId: number, state: S): S {
  if (text(formData, '_js') === '1') return state;
  const view = parseView(new URLSearchParams(text(formData, 'view')));
  redirect(articleViewHref(slug, view.comment || view.after ? view : { ...view, comment: commentId }, `#comment-${commentId}`));
}

export async function editCommentAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const values = formValues(formData, ['body']);
  const result = await editComment(await getCurrentUser(), text(formData, 'articleSlug'), {
    commentId: formData.get('commentId'),
    body: formData.get('body'),
  });
  if (!result.ok) return refused(result, values);
  return finish(formData, text(formData, 'articleSlug'), result.value.id, { status: 'ok', message: 'Saved.', values });
}

export async function deleteCommentAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const result = await deleteComment(await getCurrentUser(), text(formData, 'articleSlug'), { commentId: formData.get('commentId') });
  if (!result.ok) return refused(result, {});
  return finish(formData, text(formData, 'articleSlug'), result.value.id, { status: 'ok', message: 'Comment deleted.' });
}

export type VoteState = ActionState & { voted?: boolean; score?: number };

export async function voteAction(_previous: VoteState, formData: FormData): Promise<VoteState> {
  const result = await voteOnComment(await getCurrentUser(), text(formData, 'articleSlug'), {
    commentId: formData.get('commentId'),
    vote: formData.get('vote') ?? undefined,
  });
  if (!result.ok) return refused(result, {});
  const { commentId, voted, score } = result.value;
  return finish<VoteState>(formData, text(formData, 'articleSlug'), commentId, { status: 'ok', voted, score });
}

export async function reportCommentAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const result = await reportComment(await getCurrentUser(), text(formData, 'articleSlug'), {
    commentId: formData.get('commentId'),
    reason: formData.get('reason') ?? undefined,
    details: formData.get('details') ?? undefined,
  });
  if (!result.ok) return refused(result, formValues(formData, ['details']));
  const message = result.value.duplicate ? 'You have already reported this comment.' : 'Thank you. The moderators will look at it.';
  return finish(formData, text(formData, 'articleSlug'), result.value.commentId, { status: 'ok', message });
}

/* Moderators' shortcuts on the article page; the same service as the moderation queue. */
export async function featureCommentAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const result = await featureComment(await getCurrentUser(), {
    commentId: formData.get('commentId'),
    featured: formData.get('featured'),
    articleSlug: text(formData, 'articleSlug'),
  });
  if (!result.ok) return refused(result, {});
  return finish(formData, text(formData, 'articleSlug'), result.value.commentId, { status: 'ok' });
}

export async function hideCommentAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const result = await decideComment(await getCurrentUser(), 'reject', {
    commentId: formData.get('commentId'),
    articleSlug: text(formData, 'articleSlug'),
    reason: 'Hidden from the article page',
  });
  if (!result.ok) return refused(result, {});
  return finish(formData, text(formData, 'articleSlug'), result.value.commentId, { status: 'ok' });
}

/** A one-click answer to a closed question; back to the question without JavaScript. */
export async function giveStanceAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const slug = text(formData, 'articleSlug');
  const questionKey = text(formData, 'questionKey');
  const result = await giveStance(await getCurrentUser(), slug, { questionKey, choice: formData.get('choice') });
  if (!result.ok) return refused(result, {});
  if (text(formData, '_js') === '1') return { status: 'ok', values: { choice: result.value.choice } };
  redirect(`/articles/${encodeURIComponent(slug)}#question-${questionKey}`);
}

/**
 * A signed-out reader pressed "Sign in to post": keep what they typed on the server (under a
 * random token in an HttpOnly cookie), and send them to sign in and back to the form.
 * Used through useActionState (for its permalink), hence `_previous`.
 */
export async function saveDraftAndSignIn(_previous: void, formData: FormData): Promise<void> {
  const slug = text(formData, 'articleSlug');
  const article = getArticleRef(slug);
  const returnTo = `/articles/${article?.slug ?? ''}#comment-form`;
  const body = [...text(formData, 'body')].slice(0, COMMENT_MAX * 2).join(''); // whole characters, never half a pair
  // Anyone may keep a draft, so drafts are limited per address like sign-ups.
  const allowed = hitRateLimit(`draft:ip:${clientIp(await headers())}`, 30, 60 * 60_000).allowed;
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

/** The next page of threads, rendered on the server, for "Load more" in place. */
export async function loadMoreThreads(slug: string, query: string) {
  const article = getArticleBySlug(String(slug));
  if (!article) return null;
  const viewer = await getCurrentUser();
  const view = parseView(new URLSearchParams(String(query)));
  const data = loadDiscussion(article, { ...view, comment: null }, viewer);
  return {
    nextCursor: data.nextCursor,
    content: <ThreadList article={article} data={data} viewer={viewer} />,
  };
}
