import type { ArticlePage } from '@/db/queries/articles';
import type { CommentView, Thread } from '@/db/queries/comments';
import type { DiscussionData } from '@/app/_lib/comments/discussion';
import type { ReaderLayer } from '@/app/_lib/comments/reader-layer';
import { CommentItem, type CommentContext } from './comment-item';

function Replies({ parentId, byParent, context }: { parentId: number; byParent: Map<number, CommentView[]>; context: CommentContext }) {
  // A deleted reply with nothing under it leaves no placeholder behind.
  const replies = byParent.get(parentId)?.filter((r) => r.status !== 'deleted' || byParent.has(r.id));
  if (!replies?.length) return null;
  return (
    <ol className="replies" aria-label="Replies">
      {replies.map((reply) => (
        <li key={reply.id} className="comment-node">
          <CommentItem comment={reply} context={context} />
          <Replies parentId={reply.id} byParent={byParent} context={context} />
        </li>
      ))}
    </ol>
  );
}

function ThreadItem({ thread, context }: { thread: Thread; context: CommentContext }) {
  const byParent = new Map<number, CommentView[]>();
  for (const reply of thread.replies) {
    if (reply.parentId !== null) byParent.set(reply.parentId, [...(byParent.get(reply.parentId) ?? []), reply]);
  }
  // A deleted top comment with nothing shown under it never gets here: listThreads leaves it out
  // (db/queries/comment-threads.ts), so that a page of twenty draws twenty.
  return (
    <li className="comment-node comment-node--thread">
      <CommentItem comment={thread} context={context} />
      <Replies parentId={thread.id} byParent={byParent} context={context} />
    </li>
  );
}

/** How the comments of a page are drawn: for everyone (cached), or with one reader's marks. */
export function discussionContext(article: ArticlePage, data: DiscussionData, layer: ReaderLayer | null): CommentContext {
  return {
    articleSlug: article.slug,
    view: data.view,
    questions: new Map(article.questions.map((q) => [q.id, q])),
    authorStances: data.authorStances,
    marks: layer?.viewer
      ? { own: new Set(layer.ownIds), voted: new Set(layer.votedIds), reported: new Set(layer.reportedIds) }
      : null,
  };
}

/** A page of threads as nested lists: threads, replies, replies to replies. */
export function ThreadList({ article, data, layer }: { article: ArticlePage; data: DiscussionData; layer: ReaderLayer | null }) {
  const context = discussionContext(article, data, layer);
  return (
    <>
      {data.threads.map((thread) => (
        <ThreadItem key={thread.id} thread={thread} context={context} />
      ))}
    </>
  );
}
