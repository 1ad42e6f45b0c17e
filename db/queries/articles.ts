import 'server-only';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { getDb, preparedQuery } from '../index';
import type { ArticlePolicy } from '../enums';
import { articles, comments, questionChoices, questions, type QuestionKind } from '../schema';

export type ArticleListItem = { slug: string; title: string; summary: string; commentCount: number };

export function listArticles(): ArticleListItem[] {
  return getDb()
    .select({ slug: articles.slug, title: articles.title, summary: articles.summary, commentCount: articles.commentCount })
    .from(articles)
    .orderBy(asc(articles.id))
    .all();
}

export type ArticleChange = { slug: string; lastModified: Date };

/*
 * When each article's page last changed, for the sitemap's lastmod: the article row's own time
 * (the seed rewrites it when the content file changes), or its newest visible comment's (one
 * the comment count counts) when that is later. Not a publication date: the source often has
 * none, and it does not move when the discussion does. Edits and deletions are left out: finding
 * the newest would read every comment of the article (about 140 ms with 100,000), while the
 * newest comment is the last id on the (article_id, id) index, and a new comment is the change a
 * crawler comes back for. Ids are given in insert order and created_at is SQLite's clock at the
 * insert, so the last id is the newest comment.
 */
export function listArticleChanges(): ArticleChange[] {
  const newestComment = sql<number | null>`(select ${comments.createdAt} from ${comments} where ${comments.articleId} = ${articles.id} and ${comments.status} = 'visible' order by ${comments.id} desc limit 1)`;
  return getDb()
    .select({ slug: articles.slug, lastModified: sql<number>`max(${articles.updatedAt}, coalesce(${newestComment}, 0))`.mapWith(Number) })
    .from(articles)
    .orderBy(asc(articles.id))
    .all()
    .map(({ slug, lastModified }) => ({ slug, lastModified: new Date(lastModified) }));
}

export type FeedArticle = { slug: string; title: string; summary: string; publishedAt: Date | null; updatedAt: Date };

/** The articles as the site feed lists them, newest first. */
export function listFeedArticles(): FeedArticle[] {
  return getDb()
    .select({ slug: articles.slug, title: articles.title, summary: articles.summary, publishedAt: articles.publishedAt, updatedAt: articles.updatedAt })
    .from(articles)
    .orderBy(desc(sql`coalesce(${articles.publishedAt}, ${articles.updatedAt})`), desc(articles.id))
    .all();
}

/** The few columns a write needs to find and check an article. */
export type ArticleRef = { id: number; slug: string; moderation: ArticlePolicy; closedAt: Date | null };

const refColumns = { id: articles.id, slug: articles.slug, moderation: articles.moderation, closedAt: articles.closedAt };

// Every write looks its article up first (the comment API twice), so these are compiled once.
const refBySlug = preparedQuery((db) => db.select(refColumns).from(articles).where(eq(articles.slug, sql.placeholder('slug'))).prepare());
const refById = preparedQuery((db) => db.select(refColumns).from(articles).where(eq(articles.id, sql.placeholder('id'))).prepare());

export function getArticleRef(slug: string): ArticleRef | null {
  return refBySlug().get({ slug }) ?? null;
}

export function getArticleRefById(id: number): ArticleRef | null {
  return refById().get({ id }) ?? null;
}

/** A question of this article by its key, or null (a key from another article is null too). */
export function getQuestionRef(articleId: number, key: string): { id: number; key: string } | null {
  return (
    getDb()
      .select({ id: questions.id, key: questions.key })
      .from(questions)
      .where(and(eq(questions.articleId, articleId), eq(questions.key, key)))
      .get() ?? null
  );
}

export type QuestionChoiceSummary = { id: number; key: string; label: string; voteCount: number };

export type ArticleQuestion = {
  id: number;
  key: string;
  position: number;
  prompt: string;
  /** Short name for tabs and badges. */
  label: string;
  kind: QuestionKind;
  answerCount: number;
  choices: QuestionChoiceSummary[];
};

export type ArticlePage = {
  id: number;
  slug: string;
  title: string;
  summary: string;
  bodyMarkdown: string;
  disclosure: string | null;
  sourceLabel: string | null;
  sourceUrl: string | null;
  publishedAt: Date | null;
  updatedAt: Date;
  commentCount: number;
  moderation: 'site' | 'off' | 'first' | 'all';
  closedAt: Date | null;
  questions: ArticleQuestion[];
};

// Every article page and signed-in page load reads these: compiled once (db/index.ts, preparedQuery).
const articleBySlug = preparedQuery((db) =>
  db
    .select({
      id: articles.id,
      slug: articles.slug,
      title: articles.title,
      summary: articles.summary,
      bodyMarkdown: articles.bodyMarkdown,
      disclosure: articles.disclosure,
      sourceLabel: articles.sourceLabel,
      sourceUrl: articles.sourceUrl,
      publishedAt: articles.publishedAt,
      updatedAt: articles.updatedAt,
      commentCount: articles.commentCount,
      moderation: articles.moderation,
      closedAt: articles.closedAt,
    })
    .from(articles)
    .where(eq(articles.slug, sql.placeholder('slug')))
    .prepare(),
);
const questionsOf = preparedQuery((db) =>
  db
    .select({
      id: questions.id,
      key: questions.key,
      position: questions.position,
      prompt: questions.prompt,
      label: questions.label,
      kind: questions.kind,
      answerCount: questions.answerCount,
    })
    .from(questions)
    .where(eq(questions.articleId, sql.placeholder('articleId')))
    .orderBy(asc(questions.position))
    .prepare(),
);
const choicesOf = preparedQuery((db) =>
  db
    .select({
      questionId: questionChoices.questionId,
      id: questionChoices.id,
      key: questionChoices.key,
      label: questionChoices.label,
      voteCount: questionChoices.voteCount,
    })
    .from(questionChoices)
    .innerJoin(questions, eq(questions.id, questionChoices.questionId))
    .where(eq(questions.articleId, sql.placeholder('articleId')))
    .orderBy(asc(questionChoices.position))
    .prepare(),
);

/** The article with its discussion questions, or null for an unknown slug. */
export function getArticleBySlug(slug: string): ArticlePage | null {
  const article = articleBySlug().get({ slug });
  if (!article) return null;
  const questionRows = questionsOf().all({ articleId: article.id });
  const choiceRows = questionRows.length ? choicesOf().all({ articleId: article.id }) : [];

  return {
    ...article,
    questions: questionRows.map((q) => ({
      ...q,
      label: q.label ?? q.prompt,
      choices: choiceRows.filter((c) => c.questionId === q.id).map(({ id, key, label, voteCount }) => ({ id, key, label, voteCount })),
    })),
  };
}
