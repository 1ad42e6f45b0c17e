import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Unix epoch milliseconds, set by SQLite so every writer agrees on the clock. */
const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const articles = sqliteTable('articles', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  slug: text('slug').notNull().unique(),
  title: text('title').notNull(),
  summary: text('summary').notNull(),
  /** The article body as Markdown; rendered and sanitized by app/_lib/markdown at render time. */
  bodyMarkdown: text('body_markdown').notNull(),
  /** Affiliate or sponsorship disclosure, shown apart from the body. */
  disclosure: text('disclosure'),
  sourceLabel: text('source_label'),
  sourceUrl: text('source_url'),
  /** Null when the source gives no date: the page then shows none rather than inventing one. */
  publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
  /** Hash of the content file, so the seed rewrites the row only when the file changed. */
  contentHash: text('content_hash').notNull(),
  createdAt: createdAt(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`),
});

export const questionKinds = ['open', 'poll'] as const;
export type QuestionKind = (typeof questionKinds)[number];

/** The questions an article puts to its readers, in the order the article asks them. */
export const questions = sqliteTable(
  'questions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    /** Stable key from the content file, used in URLs (?question=targets). */
    key: text('key').notNull(),
    position: integer('position').notNull(),
    prompt: text('prompt').notNull(),
    kind: text('kind', { enum: questionKinds }).notNull().default('open'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('questions_article_key_uq').on(t.articleId, t.key),
    uniqueIndex('questions_article_position_uq').on(t.articleId, t.position),
  ],
);

/** The fixed answers of a closed ("poll") question, e.g. Yes / No / Too early to tell. */
export const questionChoices = sqliteTable(
  'question_choices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    position: integer('position').notNull(),
    label: text('label').notNull(),
  },
  (t) => [
    uniqueIndex('question_choices_question_key_uq').on(t.questionId, t.key),
    index('question_choices_question_position_idx').on(t.questionId, t.position),
  ],
);

export const roles = ['reader', 'moderator', 'admin'] as const;
export type Role = (typeof roles)[number];

/*
 * Accounts, in the table shapes Auth.js's Drizzle adapter expects (users, accounts, sessions,
 * verification tokens), plus the columns this site needs: a password hash for email sign-in
 * and a role. Emails are stored normalised (trimmed, lower case), so one address is one account.
 */
export const users = sqliteTable('users', {
  id: text('id')
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID()),
  /** The display name readers see beside comments. */
  name: text('name'),
  email: text('email').unique(),
  emailVerified: integer('emailVerified', { mode: 'timestamp_ms' }),
  image: text('image'),
  /** scrypt hash (see app/_lib/password.ts); null for accounts that sign in through a provider. */
  passwordHash: text('password_hash'),
  role: text('role', { enum: roles }).notNull().default('reader'),
  createdAt: createdAt(),
});

export const accounts = sqliteTable(
  'accounts',
  {
    userId: text('userId')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    provider: text('provider').notNull(),
    providerAccountId: text('providerAccountId').notNull(),
    refresh_token: text('refresh_token'),
    access_token: text('access_token'),
    expires_at: integer('expires_at'),
    token_type: text('token_type'),
    scope: text('scope'),
    id_token: text('id_token'),
    session_state: text('session_state'),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] }), index('accounts_user_idx').on(t.userId)],
);

export const sessions = sqliteTable('sessions', {
  sessionToken: text('sessionToken').primaryKey(),
  userId: text('userId')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  expires: integer('expires', { mode: 'timestamp_ms' }).notNull(),
});

export const verificationTokens = sqliteTable(
  'verification_tokens',
  {
    identifier: text('identifier').notNull(),
    token: text('token').notNull(),
    expires: integer('expires', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

/**
 * Fixed-window attempt counters for sign-in and sign-up, keyed by what is limited
 * ("signin:ip:203.0.113.9", "signin:email:a@b.c"). In SQLite so limits survive a restart.
 */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start', { mode: 'timestamp_ms' }).notNull(),
  count: integer('count').notNull(),
});

export type Article = typeof articles.$inferSelect;
export type NewArticle = typeof articles.$inferInsert;
export type Question = typeof questions.$inferSelect;
export type NewQuestion = typeof questions.$inferInsert;
export type QuestionChoice = typeof questionChoices.$inferSelect;
export type User = typeof users.$inferSelect;
