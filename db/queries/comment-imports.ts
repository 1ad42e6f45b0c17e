import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import { preparedQuery, type Db, type Tx } from '../index';
import { articles, comments, questions, type CommentStatus } from '../schema';
import { adjustVisibleCounts } from './comment-writes';
import type { Placement } from './comments';

/*
 * The writes of an import (app/_lib/import/): comments that keep their source, source id and
 * original date. Every call runs inside the import's one transaction (`tx` is that proof).
 */

export type ImportedComment = Placement<number> & {
  articleId: number;
  authorId: string;
  questionId: number | null;
  bodyMarkdown: string;
  bodyHtml: string;
  status: CommentStatus;
  moderationReason: string | null;
  createdAt: Date;
  source: string;
  sourceId: string;
  score?: number;
  reportCount?: number;
  reviewedAt?: Date | null;
  featuredAt?: Date | null;
  editedAt?: Date | null;
  editedBy?: string | null;
  editedAs?: 'author' | 'moderator' | null;
  editReason?: string | null;
  deletedAt?: Date | null;
};

const insertRow = preparedQuery((db) =>
  db
    .insert(comments)
    .values({
      articleId: sql.placeholder('articleId'),
      authorId: sql.placeholder('authorId'),
      parentId: sql.placeholder('parentId'),
      rootId: sql.placeholder('rootId'),
      replyToId: sql.placeholder('replyToId'),
      depth: sql.placeholder('depth'),
      questionId: sql.placeholder('questionId'),
      bodyMarkdown: sql.placeholder('bodyMarkdown'),
      bodyHtml: sql.placeholder('bodyHtml'),
      status: sql.placeholder('status'),
      moderationReason: sql.placeholder('moderationReason'),
      createdAt: sql`${sql.placeholder('createdAt')}`,
      source: sql.placeholder('source'),
      sourceId: sql.placeholder('sourceId'),
      score: sql.placeholder('score'),
      reportCount: sql.placeholder('reportCount'),
      reviewedAt: sql`${sql.placeholder('reviewedAt')}`,
      featuredAt: sql`${sql.placeholder('featuredAt')}`,
      editedAt: sql`${sql.placeholder('editedAt')}`,
      editedBy: sql.placeholder('editedBy'),
      editedAs: sql.placeholder('editedAs'),
      editReason: sql.placeholder('editReason'),
      deletedAt: sql`${sql.placeholder('deletedAt')}`,
    })
    // Timestamps go in as epoch milliseconds, as they are stored: a bare placeholder would pass
    // them through the column's Date mapping, which refuses null.
    .onConflictDoNothing()
    .returning({ id: comments.id })
    .prepare(),
);

const setOwnRoot = preparedQuery((db) =>
  db
    .update(comments)
    .set({ rootId: sql`${sql.placeholder('id')}` })
    .where(eq(comments.id, sql.placeholder('id')))
    .prepare(),
);

const bySource = preparedQuery((db) =>
  db
    .select({ id: comments.id, parentId: comments.parentId, rootId: comments.rootId, depth: comments.depth, articleId: comments.articleId })
    .from(comments)
    .where(and(eq(comments.source, sql.placeholder('source')), eq(comments.sourceId, sql.placeholder('sourceId'))))
    .prepare(),
);

/**
 * Runs an import's writes with the search index of comments (drizzle/0012_search.sql) rebuilt
 * once at the end instead of kept row by row: its triggers cost a fifth of a 500,000-comment
 * import, a rebuild of them all half a second (docs/import-export.md). The triggers are read from
 * sqlite_master, dropped, and re-created from that same SQL, so the migration stays their one
 * definition; the rebuild reads the index's own definition, so the index is right whatever the
 * import wrote. All inside the caller's transaction (SQLite's DDL is transactional): a failure or
 * a dry run rolls the triggers back with the rows, and other connections never see them missing.
 */
export function indexingCommentsAtTheEnd<T>(tx: Tx, write: () => T): T {
  const triggers = tx.all<{ name: string; sql: string }>(
    sql`select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'comments' and sql like '%comments_fts%' order by name`,
  );
  for (const { name } of triggers) tx.run(sql.raw(`drop trigger "${name.replaceAll('"', '""')}"`));
  const result = write();
  tx.run(sql`insert into comments_fts (comments_fts) values ('rebuild')`);
  for (const { sql: definition } of triggers) tx.run(sql.raw(definition));
  return result;
}

/** Whether any comment from this source is stored: a first import need not look each one up. */
export function hasImported(tx: Tx | Db, source: string): boolean {
  return tx.select({ id: comments.id }).from(comments).where(eq(comments.source, source)).limit(1).get() !== undefined;
}

/** A comment an earlier import stored from this source id, if any. */
export function findImported(source: string, sourceId: string): { id: number; parentId: number | null; rootId: number; depth: number; articleId: number } | null {
  const row = bySource().get({ source, sourceId });
  return row ? { ...row, rootId: row.rootId ?? row.id } : null;
}

const ms = (d: Date | null | undefined) => (d ? d.getTime() : null);

/**
 * Stores one imported comment; null when its source id is already there (a duplicate). A
 * visible one counts on its article (and its question) through the same rule as a post.
 */
export function insertImportedComment(tx: Tx, c: ImportedComment, visibleByArticle?: Map<number, number>): number | null {
  const row = insertRow().get({
    ...c,
    createdAt: c.createdAt.getTime(),
    score: c.score ?? 0,
    reportCount: c.reportCount ?? 0,
    reviewedAt: ms(c.reviewedAt),
    featuredAt: ms(c.featuredAt),
    editedAt: ms(c.editedAt),
    editedBy: c.editedBy ?? null,
    editedAs: c.editedAs ?? null,
    editReason: c.editReason ?? null,
    deletedAt: ms(c.deletedAt),
  });
  if (!row) return null;
  if (c.rootId === null) setOwnRoot().run({ id: row.id });
  if (c.status !== 'visible') return row.id;
  // A large import counts its comments per article and adds them once (countImported): the
  // same rule, one statement per article instead of one per comment. Answers count each time.
  if (visibleByArticle && c.questionId === null) visibleByArticle.set(c.articleId, (visibleByArticle.get(c.articleId) ?? 0) + 1);
  else adjustVisibleCounts(tx, c, 1);
  return row.id;
}

/** Adds the visible comments an import counted per article (insertImportedComment). */
export function countImported(tx: Tx, visibleByArticle: Map<number, number>): void {
  for (const [articleId, n] of visibleByArticle) adjustVisibleCounts(tx, { articleId, parentId: null, questionId: null }, n);
}

/** Places a reply whose parent came later in the file than itself (a reply never counts as an answer, so no count moves). */
export function placeImported(tx: Tx, id: number, placement: Placement<number> & { questionId?: number | null }): void {
  tx.update(comments).set(placement).where(eq(comments.id, id)).run();
}

/** The slugs of the articles, for matching source threads by path or slug. */
export function articleSlugs(tx: Tx | Db): Map<string, number> {
  return new Map(tx.select({ slug: articles.slug, id: articles.id }).from(articles).all().map((a) => [a.slug, a.id]));
}

/** A question of an article by its key (the site's own export names questions so). */
export function questionIdByKey(tx: Tx, articleId: number, key: string): number | null {
  return tx.select({ id: questions.id }).from(questions).where(and(eq(questions.articleId, articleId), eq(questions.key, key))).get()?.id ?? null;
}

/** The newest comment id, before an import writes: what passImportedComments needs to know. */
export function lastCommentId(tx: Tx | Db): number {
  return tx.select({ id: sql<number | null>`max(${comments.id})` }).from(comments).get()?.id ?? 0;
}
