import 'server-only';
import { diffWords } from 'diff';
import { getCommentForWrite, getCommentView, type CommentView } from '@/db/queries/comments';
import { listCommentVersions, type CommentVersionView } from '@/db/queries/comment-versions';
import type { UserSummary } from '@/db/queries/users';
import { refuse, type Result } from '../http/errors';
import { check } from '../permissions';

/*
 * A comment's edit history, as its history page shows it: every text it has had, oldest first,
 * each with when, by whom (its author, or "a moderator" with the reason) and what changed from
 * the one before. Shown to whoever is shown the comment (permissions.ts, readHistory).
 */

/** A run of words in a diff: kept, removed from the previous version, or added in this one. */
export type Change = { text: string; kind: 'kept' | 'removed' | 'added' };

export type HistoryEntry = CommentVersionView & {
  /** 1 for the first text. */
  number: number;
  /** What changed from the version before, word by word; null for the first. */
  changes: Change[] | null;
};

export type CommentHistory = { comment: CommentView; versions: HistoryEntry[] };

/** Word by word, on the Markdown the author typed: what a reader compares, not the HTML. */
export function wordChanges(before: string, after: string): Change[] {
  return diffWords(before, after).map((part) => ({
    text: part.value,
    kind: part.added ? 'added' : part.removed ? 'removed' : 'kept',
  }));
}

/**
 * The history of comment `rawId` of the article `articleId`. A comment this viewer is not shown,
 * or on another article, does not exist; one its author deleted is gone, with its history.
 */
export function readCommentHistory(viewer: UserSummary | null, articleId: number, rawId: string): Result<CommentHistory> {
  if (!/^[0-9]{1,16}$/.test(rawId)) return refuse('not_found:comment');
  const target = getCommentForWrite(Number(rawId));
  if (!target || target.articleId !== articleId) return refuse('not_found:comment');
  if (target.status === 'deleted') return refuse('gone:comment', undefined, 'This comment was deleted by its author. Its text and its earlier versions were removed with it.');
  const refused = check(viewer, 'readHistory', { comment: target });
  if (refused) return refused;
  const comment = getCommentView(target.id);
  if (!comment) return refuse('not_found:comment');
  const texts = listCommentVersions(target.id);
  const versions = texts.map((version, index) => ({
    ...version,
    number: index + 1,
    changes: index === 0 ? null : wordChanges(texts[index - 1]!.markdown, version.markdown),
  }));
  return { ok: true, value: { comment, versions } };
}
