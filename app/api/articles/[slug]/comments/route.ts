import { NextResponse, type NextRequest } from 'next/server';
import { getArticleBySlug, getArticleRef } from '@/db/queries/articles';
import { countCommentsAfter, type CommentView } from '@/db/queries/comments';
import type { UserSummary } from '@/db/queries/users';
import { jsonError, jsonRefusal, readJsonBody } from '@/app/_lib/http/api';
import { loadDiscussion } from '@/app/_lib/comments/discussion';
import { COMMENT_ACTIONS, commentPermissions, type Target } from '@/app/_lib/permissions';
import { postComment } from '@/app/_lib/comments/service';
import { parseView } from '@/app/_lib/comments/view';
import { getCurrentUser } from '@/app/_lib/auth/session';

/*
 * The JSON door to the discussion, beside the forms. GET reads a page of threads (or, with
 * ?since=ID, how many comments arrived after ID, for the live client); POST adds a comment as
 * the reader in the session cookie. Both run the same service code as the server actions.
 */
type Params = { params: Promise<{ slug: string }> };

/** A comment for the API, with what this viewer may do to it (the controls a page would draw). */
function toJson(comment: CommentView, viewer: UserSummary | null, article: Target['article']) {
  const may = commentPermissions(viewer, article, comment);
  return {
    id: comment.id,
    parentId: comment.parentId,
    replyTo: comment.replyTo,
    depth: comment.depth,
    author: { name: comment.authorName },
    mine: viewer !== null && comment.authorId === viewer.id,
    actions: COMMENT_ACTIONS.filter((action) => may[action] === null),
    questionId: comment.questionId,
    html: comment.html,
    status: comment.status,
    score: comment.score,
    createdAt: comment.createdAt.toISOString(),
    editedAt: comment.editedAt?.toISOString() ?? null,
  };
}

export async function GET(request: NextRequest, { params }: Params) {
  const article = getArticleBySlug((await params).slug);
  if (!article) return jsonError('not_found:article');
  const search = request.nextUrl.searchParams;

  const since = search.get('since');
  if (since !== null) {
    const afterId = Number(since);
    if (!Number.isSafeInteger(afterId) || afterId < 0) return jsonError('invalid:request', '"since" must be a comment id.');
    const { count, latestId } = countCommentsAfter(article.id, afterId);
    // Poll totals ride along, so one request keeps the whole discussion live.
    const polls = Object.fromEntries(
      article.questions
        .filter((q) => q.kind === 'poll')
        .map((q) => [q.key, Object.fromEntries(q.choices.map((c) => [c.key, c.voteCount]))]),
    );
    return NextResponse.json({ newCount: count, latestId, polls }, { headers: { 'Cache-Control': 'private, no-store' } });
  }

  const viewer = await getCurrentUser();
  const view = parseView(search);
  const data = loadDiscussion(article, view, viewer);
  return NextResponse.json(
    {
      article: { slug: article.slug, commentCount: article.commentCount },
      sort: view.sort,
      threads: data.threads.map((thread) => ({
        ...toJson(thread, viewer, article),
        replies: thread.replies.map((r) => toJson(r, viewer, article)),
      })),
      nextCursor: data.nextCursor,
    },
    { headers: { 'Cache-Control': 'private, no-store' } },
  );
}

export async function POST(request: NextRequest, { params }: Params) {
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const viewer = await getCurrentUser();
  const slug = (await params).slug;
  const result = await postComment(viewer, slug, read.body);
  if (!result.ok) return jsonRefusal(result);
  return NextResponse.json({ comment: toJson(result.value, viewer, getArticleRef(slug)) }, { status: 201, headers: { 'Cache-Control': 'private, no-store' } });
}
