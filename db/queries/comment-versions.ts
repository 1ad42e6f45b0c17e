import 'server-only';
import { asc, eq, inArray } from 'drizzle-orm';
import { getDb, type Tx } from '../index';
import { commentVersions, comments, type EditorRole } from '../schema';

/*
 * A comment's edit history: the texts it had before its current one (comment_versions), and the
 * current one, read from the comment itself. Written by the edits in comment-writes.ts, inside
 * their transactions; removed there when the author deletes the comment.
 */

/** Who may be named as the writer of a version; a moderator is never named to readers. */
export type Editor = { userId: string; as: EditorRole; reason: string | null };

/** One text of a comment, as the history shows it. */
export type CommentVersionView = {
  markdown: string;
  html: string;
  writtenAt: Date;
  writtenAs: EditorRole;
  reason: string | null;
};

/**
 * Keeps the comment's current text as a version before an edit replaces it: written when the
 * comment was created or last edited, by whoever wrote it then. Returns false when there is no
 * such comment. Call inside the edit's transaction, so no edit is stored without its version.
 */
export function keepCurrentVersion(tx: Tx, commentId: number): boolean {
  const row = tx
    .select({
      bodyMarkdown: comments.bodyMarkdown,
      bodyHtml: comments.bodyHtml,
      authorId: comments.authorId,
      createdAt: comments.createdAt,
      editedAt: comments.editedAt,
      editedBy: comments.editedBy,
      editedAs: comments.editedAs,
      editReason: comments.editReason,
    })
    .from(comments)
    .where(eq(comments.id, commentId))
    .get();
  if (!row) return false;
  // Edits from before history was kept name no editor: the author was the only one who could edit.
  const edited = row.editedAt !== null;
  tx.insert(commentVersions)
    .values({
      commentId,
      bodyMarkdown: row.bodyMarkdown,
      bodyHtml: row.bodyHtml,
      writtenAt: edited ? row.editedAt! : row.createdAt,
      writtenBy: edited ? (row.editedBy ?? row.authorId) : row.authorId,
      writtenAs: edited ? (row.editedAs ?? 'author') : 'author',
      reason: edited ? row.editReason : null,
    })
    .run();
  return true;
}

/** Removes every earlier text of a comment: its author deleted it. Inside the delete's transaction. */
export function forgetVersions(tx: Tx, commentId: number): void {
  tx.delete(commentVersions).where(eq(commentVersions.commentId, commentId)).run();
}

const versionColumns = {
  markdown: commentVersions.bodyMarkdown,
  html: commentVersions.bodyHtml,
  writtenAt: commentVersions.writtenAt,
  writtenAs: commentVersions.writtenAs,
  reason: commentVersions.reason,
};

/**
 * Every text of a comment, oldest first, the current one last. The caller has already decided
 * the viewer may see the comment (app/_lib/comments/history.ts); a deleted comment has none.
 */
export function listCommentVersions(commentId: number): CommentVersionView[] {
  const current = getDb()
    .select({
      markdown: comments.bodyMarkdown,
      html: comments.bodyHtml,
      createdAt: comments.createdAt,
      editedAt: comments.editedAt,
      editedAs: comments.editedAs,
      editReason: comments.editReason,
      status: comments.status,
    })
    .from(comments)
    .where(eq(comments.id, commentId))
    .get();
  if (!current || current.status === 'deleted') return [];
  const earlier = getDb()
    .select(versionColumns)
    .from(commentVersions)
    .where(eq(commentVersions.commentId, commentId))
    .orderBy(asc(commentVersions.id))
    .all();
  const edited = current.editedAt !== null;
  return [
    ...earlier,
    {
      markdown: current.markdown,
      html: current.html,
      writtenAt: current.editedAt ?? current.createdAt,
      writtenAs: edited ? (current.editedAs ?? 'author') : 'author',
      reason: edited ? current.editReason : null,
    },
  ];
}

/** The earlier texts of several comments (the moderation queue's), oldest first per comment. */
export function listEarlierVersions(commentIds: number[]): Map<number, CommentVersionView[]> {
  const byComment = new Map<number, CommentVersionView[]>();
  if (commentIds.length === 0) return byComment;
  const rows = getDb()
    .select({ commentId: commentVersions.commentId, ...versionColumns })
    .from(commentVersions)
    .where(inArray(commentVersions.commentId, commentIds))
    .orderBy(asc(commentVersions.commentId), asc(commentVersions.id))
    .all();
  for (const { commentId, ...version } of rows) byComment.set(commentId, [...(byComment.get(commentId) ?? []), version]);
  return byComment;
}
