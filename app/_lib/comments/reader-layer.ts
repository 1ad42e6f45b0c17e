import 'server-only';
import type { ArticlePage } from '@/db/queries/articles';
import { readerMarks } from '@/db/queries/comments';
import { isSubscribed } from '@/db/queries/notifications';
import { stancesOf } from '@/db/queries/polls';
import type { UserSummary } from '@/db/queries/users';
import { discussionTokens, type DiscussionTokens } from '../permissions';

/**
 * Everything on an article page that belongs to one reader. The page itself (the article and
 * its discussion) is the same HTML for everyone and is cached; this layer is what makes it
 * theirs: the controls the rules give them (as tokens the CSS reads), their own comments, their
 * votes, reports and poll answers. A signed-out reader's layer is empty but for the tokens.
 *
 * It is applied in one of two ways, with the same result: drawn by React when the page is
 * rendered for this request, or written into the cached page's HTML by
 * app/_lib/comments/reader-page.ts (the fast path for a signed-in reader's page load).
 */
export type ReaderLayer = {
  viewer: UserSummary | null;
  tokens: DiscussionTokens;
  ownIds: number[];
  /** Their own comments waiting for review: shown to them alone, so not in the cached page. */
  heldIds: number[];
  votedIds: number[];
  reportedIds: number[];
  /** Their answer to each poll question, by question key: the choice's key. */
  stances: Record<string, string>;
};

export function readerLayer(viewer: UserSummary | null, article: ArticlePage): ReaderLayer {
  const tokens = discussionTokens(viewer, article);
  if (!viewer) return { viewer, tokens, ownIds: [], heldIds: [], votedIds: [], reportedIds: [], stances: {} };
  const polls = article.questions.filter((q) => q.kind === 'poll');
  const chosen = stancesOf(viewer.id, polls.map((q) => q.id));
  const stances: Record<string, string> = {};
  for (const poll of polls) {
    const key = chosen.get(poll.id);
    if (key) stances[poll.key] = key;
  }
  tokens.subscribed = isSubscribed(viewer.id, article.id) ? 'yes' : 'no';
  return { viewer, tokens, ...readerMarks(viewer.id, article.id), stances };
}

/** What the browser's scripts read of the layer: votes and answers, to keep the controls theirs. */
export type ReaderState = { name: string; votedIds: number[]; stances: Record<string, string> };

export function readerState(layer: ReaderLayer): ReaderState | null {
  return layer.viewer ? { name: layer.viewer.name, votedIds: layer.votedIds, stances: layer.stances } : null;
}
