import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { Db, Tx } from './index';
import { readArticleFiles, type ArticleContent } from './content';
import { articles, questionChoices, questions } from './schema';

export type SeedResult = { slug: string; changed: boolean }[];

/**
 * Loads every content file into the database. Idempotent: an unchanged file (same hash) is
 * not written, and a changed one updates its rows in place, so ids stay stable and anything
 * that points at an article or question keeps pointing at it.
 */
export function seedArticles(db: Db, contents: ArticleContent[] = readArticleFiles()): SeedResult {
  return contents.map((content) => ({ slug: content.slug, changed: upsertArticle(db, content) }));
}

function upsertArticle(db: Db, content: ArticleContent): boolean {
  // better-sqlite3 transactions are synchronous: no await inside.
  return db.transaction((tx) => {
    const existing = tx
      .select({ id: articles.id, contentHash: articles.contentHash })
      .from(articles)
      .where(eq(articles.slug, content.slug))
      .get();
    if (existing?.contentHash === content.contentHash) return false;

    const values = {
      slug: content.slug,
      title: content.title,
      summary: content.summary,
      bodyMarkdown: content.bodyMarkdown,
      disclosure: content.disclosure ?? null,
      sourceLabel: content.source?.label ?? null,
      sourceUrl: content.source?.url ?? null,
      publishedAt: content.publishedAt ?? null,
      contentHash: content.contentHash,
    };
    const article = tx
      .insert(articles)
      .values(values)
      .onConflictDoUpdate({
        target: articles.slug,
        set: { ...values, updatedAt: sql`(unixepoch('subsec') * 1000)` },
      })
      .returning({ id: articles.id })
      .get();

    // Park existing positions out of the way so a reordered file cannot hit the unique index.
    tx.update(questions)
      .set({ position: sql`-${questions.position} - 1` })
      .where(eq(questions.articleId, article.id))
      .run();

    content.questions.forEach((q, index) => {
      const question = tx
        .insert(questions)
        .values({ articleId: article.id, key: q.key, position: index + 1, prompt: q.prompt, label: q.label ?? null, kind: q.kind })
        .onConflictDoUpdate({
          target: [questions.articleId, questions.key],
          set: { position: index + 1, prompt: q.prompt, label: q.label ?? null, kind: q.kind },
        })
        .returning({ id: questions.id })
        .get();
      syncChoices(tx, question.id, q.choices ?? []);
    });
    const keys = content.questions.map((q) => q.key);
    tx.delete(questions)
      .where(and(eq(questions.articleId, article.id), notInArray(questions.key, keys.length ? keys : [''])))
      .run();
    return true;
  });
}

function syncChoices(tx: Tx, questionId: number, choices: { key: string; label: string }[]): void {
  choices.forEach((choice, index) => {
    tx.insert(questionChoices)
      .values({ questionId, key: choice.key, position: index + 1, label: choice.label })
      .onConflictDoUpdate({
        target: [questionChoices.questionId, questionChoices.key],
        set: { position: index + 1, label: choice.label },
      })
      .run();
  });
  const keys = choices.map((c) => c.key);
  tx.delete(questionChoices)
    .where(and(eq(questionChoices.questionId, questionId), notInArray(questionChoices.key, keys.length ? keys : [''])))
    .run();
}
