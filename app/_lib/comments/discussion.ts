import 'server-only';
import type { ArticlePage, ArticleQuestion } from '@/db/queries/articles';
import { cursorBeforeThreadOf, decodeCursor, currentThreadCursor, listThreads } from '@/db/queries/comment-threads';
import {
  latestCommentId,
  listFeatured,
  topAnswers,
  type CommentView,
  type Thread,
  type TopAnswer,
} from '@/db/queries/comments';
import { stancesOfAuthors } from '@/db/queries/polls';
import type { UserSummary } from '@/db/queries/users';
import type { DiscussionView } from './view';

export const THREADS_PER_PAGE = 20;

export type DiscussionData = {
  view: DiscussionView;
  /** The question whose answers are shown, or null for all comments. */
  question: ArticleQuestion | null;
  threads: Thread[];
  nextCursor: string | null;
  /** True when the page does not start at the first thread (a cursor or a permalink). */
  startsLater: boolean;
  /** A permalink to a comment that is not (or no longer) shown here. */
  missingComment: boolean;
  latestId: number;
  /** The most up-voted answer per question id, for the summary. */
  topAnswers: Map<number, TopAnswer>;
  /** Stances of the authors shown, per "questionId:authorId", to draw beside their answers. */
  authorStances: Map<string, string>;
  /** Editor's picks, shown first on the opening page of the discussion. */
  featured: CommentView[];
};

/**
 * The view as a signed-out page is cached under, or null when it names what does not exist:
 * its question, its permalink's comment, the thread its cursor starts after. Only such views are
 * cached (app/articles/[slug]/view/[view]), so the number of cached pages is bounded by the
 * discussion, not by what visitors type. A cursor whose thread's score has since changed comes
 * back spelled as it is now, for the page to redirect to.
 */
export function resolveView(article: ArticlePage, view: DiscussionView): DiscussionView | null {
  const question = view.question ? article.questions.find((q) => q.key === view.question) : null;
  if (question === undefined) return null;
  if (view.comment) return cursorBeforeThreadOf(article.id, view.comment, view.sort) ? view : null;
  if (!view.after) return view;
  const after = currentThreadCursor(article.id, view.sort, view.after, question?.id);
  return after ? { ...view, after } : null;
}

/** One page of threads as a view shows it to this reader (their held comments included). */
function threadsPage(article: ArticlePage, sort: DiscussionView['sort'], cursor: ReturnType<typeof decodeCursor>, question: ArticleQuestion | null, viewer: UserSummary | null) {
  return listThreads({ articleId: article.id, sort, cursor, limit: THREADS_PER_PAGE, questionId: question?.id, viewerId: viewer?.id });
}

/**
 * Everything the discussion section draws for one view. The viewer only adds their own comments
 * held for review (app/_lib/comments/reader-layer.ts has the rest of what is theirs).
 */
export function loadDiscussion(article: ArticlePage, view: DiscussionView, viewer: UserSummary | null): DiscussionData {
  const question = article.questions.find((q) => q.key === view.question) ?? null;
  let cursorValue = view.after;
  let missingComment = false;
  if (view.comment) {
    const found = cursorBeforeThreadOf(article.id, view.comment, view.sort, viewer?.id);
    if (found) cursorValue = found.cursor;
    else missingComment = true;
  }
  const cursor = decodeCursor(cursorValue);
  const page = threadsPage(article, view.sort, cursor, question, viewer);
  const shown = page.threads.flatMap((t) => [t, ...t.replies]);

  const polls = article.questions.filter((q) => q.kind === 'poll');
  const authorStances = new Map<string, string>();
  for (const poll of polls) {
    const authors = shown.filter((c) => c.questionId === poll.id).map((c) => c.authorId);
    for (const [authorId, label] of stancesOfAuthors(poll.id, authors)) authorStances.set(`${poll.id}:${authorId}`, label);
  }

  return {
    view,
    question,
    ...page,
    startsLater: cursor !== null,
    missingComment,
    latestId: latestCommentId(article.id, viewer?.id),
    topAnswers: topAnswers(article.id, article.questions.map((q) => q.id)),
    authorStances,
    featured: cursor === null && !question ? listFeatured(article.id) : [],
  };
}

/**
 * Whether a comment is on the page of `view` this reader gets (its thread among the view's
 * threads, or the comment one of their replies): where a reader who just posted it can be shown
 * it without leaving the view they chose.
 */
export function isShownIn(article: ArticlePage, view: DiscussionView, commentId: number, viewer: UserSummary | null): boolean {
  if (view.comment) return false;
  const question = view.question ? article.questions.find((q) => q.key === view.question) : null;
  if (question === undefined) return false;
  const { threads } = threadsPage(article, view.sort, decodeCursor(view.after), question, viewer);
  return threads.some((thread) => thread.id === commentId || thread.replies.some((reply) => reply.id === commentId));
}
