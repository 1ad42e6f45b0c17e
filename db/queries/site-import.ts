import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../index';
import { articles, commentReports, commentVersions, commentVotes, comments, guestAuthors, pollVotes, questionChoices, questions, users, type ArticlePolicy, type EditorRole, type QuestionKind, type ReportReason, type Role } from '../schema';

/*
 * The writes of `npm run import -- json` (app/_lib/export/site-import.ts), each inside its one
 * transaction. What exists already is kept: an article by slug, a person by id or email.
 */

export type ArticleIn = {
  slug: string;
  title: string;
  summary: string;
  bodyMarkdown: string;
  disclosure: string | null;
  sourceLabel: string | null;
  sourceUrl: string | null;
  publishedAt: Date | null;
  contentHash: string;
  moderation: ArticlePolicy;
  closedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  questions: { key: string; position: number; prompt: string; label: string | null; kind: QuestionKind; createdAt: Date; choices: { key: string; position: number; label: string }[] }[];
};

export type ArticleIds = { id: number; created: boolean; questions: Map<string, { id: number; choices: Map<string, number> }> };

/** The article with this slug, created with its questions and choices when the blog has none. */
export function findOrInsertArticle(tx: Tx, a: ArticleIn): ArticleIds {
  const existing = tx.select({ id: articles.id }).from(articles).where(eq(articles.slug, a.slug)).get();
  const { questions: qs, ...fields } = a;
  const id = existing?.id ?? tx.insert(articles).values(fields).returning({ id: articles.id }).get().id;
  if (!existing) {
    for (const { choices, ...q } of qs) {
      const questionId = tx.insert(questions).values({ ...q, articleId: id }).returning({ id: questions.id }).get().id;
      for (const c of choices) tx.insert(questionChoices).values({ ...c, questionId }).run();
    }
  }
  const map = new Map<string, { id: number; choices: Map<string, number> }>();
  for (const q of tx.select({ id: questions.id, key: questions.key }).from(questions).where(eq(questions.articleId, id)).all()) {
    const choices = tx.select({ id: questionChoices.id, key: questionChoices.key }).from(questionChoices).where(eq(questionChoices.questionId, q.id)).all();
    map.set(q.key, { id: q.id, choices: new Map(choices.map((c) => [c.key, c.id])) });
  }
  return { id, created: !existing, questions: map };
}

export type ReaderIn = {
  id: string;
  name: string | null;
  email: string | null;
  emailVerified: Date | null;
  role: Role;
  bannedAt: Date | null;
  bannedUntil: Date | null;
  banReason: string | null;
  notifyReplies: boolean;
  createdAt: Date;
};

/** The account with this id, or with this email, or a new one without a password (its owner sets one by a reset link). */
export function findOrInsertReader(tx: Tx, r: ReaderIn): { id: string; created: boolean } {
  const byId = tx.select({ id: users.id }).from(users).where(eq(users.id, r.id)).get();
  if (byId) return { id: byId.id, created: false };
  const byEmail = r.email ? tx.select({ id: users.id }).from(users).where(eq(users.email, r.email)).get() : undefined;
  if (byEmail) return { id: byEmail.id, created: false };
  tx.insert(users).values(r).run();
  return { id: r.id, created: true };
}

/** The guest author with this id, or met before under the same source and key; null when new. */
export function findGuest(tx: Tx, g: { id: string; source: string; sourceKey: string }): string | null {
  const byId = tx.select({ id: guestAuthors.userId }).from(guestAuthors).where(eq(guestAuthors.userId, g.id)).get();
  if (byId) return byId.id;
  return tx.select({ id: guestAuthors.userId }).from(guestAuthors).where(and(eq(guestAuthors.source, g.source), eq(guestAuthors.sourceKey, g.sourceKey))).get()?.id ?? null;
}

export function insertVersion(tx: Tx, commentId: number, v: { bodyMarkdown: string; bodyHtml: string; writtenAt: Date; writtenBy: string | null; writtenAs: EditorRole; reason: string | null }): void {
  tx.insert(commentVersions).values({ ...v, commentId }).run();
}

export function insertVote(tx: Tx, commentId: number, userId: string, createdAt: Date): void {
  tx.insert(commentVotes).values({ commentId, userId, createdAt }).onConflictDoNothing().run();
}

export function insertReport(tx: Tx, commentId: number, r: { userId: string; reason: ReportReason; details: string | null; createdAt: Date }): void {
  tx.insert(commentReports).values({ ...r, commentId }).onConflictDoNothing().run();
}

export function insertStance(tx: Tx, s: { questionId: number; choiceId: number; userId: string; createdAt: Date; updatedAt: Date }): void {
  tx.insert(pollVotes).values(s).onConflictDoNothing().run();
}

/**
 * Sets the kept-in-step counts from the rows an import wrote: each comment's score from its
 * votes, each choice's count from the stances on it (the article and question counts are kept
 * by insertImportedComment as it goes).
 */
export function recountVotes(tx: Tx, commentIds: number[], questionIds: number[]): void {
  for (let i = 0; i < commentIds.length; i += 500) {
    const ids = commentIds.slice(i, i + 500);
    tx.update(comments)
      .set({ score: sql`(select count(*) from ${commentVotes} where ${commentVotes.commentId} = ${comments.id})` })
      .where(inArray(comments.id, ids))
      .run();
  }
  if (questionIds.length === 0) return;
  tx.update(questionChoices)
    .set({ voteCount: sql`(select count(*) from ${pollVotes} where ${pollVotes.choiceId} = ${questionChoices.id})` })
    .where(inArray(questionChoices.questionId, questionIds))
    .run();
}
