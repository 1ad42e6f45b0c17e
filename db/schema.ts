import { sql } from 'drizzle-orm';
import { ARTICLE_POLICIES, REPORT_REASONS } from './enums';
import { type AnySQLiteColumn, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
  /** Visible comments, kept in step by the comment writes so no page has to count 100,000 rows. */
  commentCount: integer('comment_count').notNull().default(0),
  /** Pre-moderation for this article; 'site' follows the site-wide setting. */
  moderation: text('moderation', { enum: ARTICLE_POLICIES }).notNull().default('site'),
  /** Set when a moderator closes the discussion: comments and polls become read-only. */
  closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
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
    /** A short name for tabs and badges ("Targets"); the prompt when the content gives none. */
    label: text('label'),
    kind: text('kind', { enum: questionKinds }).notNull().default('open'),
    /** Visible threads that answer this question, kept in step by the comment writes. */
    answerCount: integer('answer_count').notNull().default(0),
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
    /** Readers whose stance is this choice, kept in step with poll_votes. */
    voteCount: integer('vote_count').notNull().default(0),
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
  /** scrypt hash (see app/_lib/auth/password.ts); null for accounts that sign in through a provider. */
  passwordHash: text('password_hash'),
  role: text('role', { enum: roles }).notNull().default('reader'),
  /** A ban: from when, until when (null = until lifted) and why, shown to the reader. */
  bannedAt: integer('banned_at', { mode: 'timestamp_ms' }),
  bannedUntil: integer('banned_until', { mode: 'timestamp_ms' }),
  banReason: text('ban_reason'),
  /**
   * Raised when the password is set or reset: every session token carries the version it was
   * issued under, and one older than this is signed out (app/_lib/auth/session.ts).
   */
  sessionVersion: integer('session_version').notNull().default(0),
  /** Email me when someone replies to me or answers in my thread (only verified addresses get mail). */
  notifyReplies: integer('notify_replies', { mode: 'boolean' }).notNull().default(true),
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

/**
 * One row per sign-in: the session cookie's `sid` claim names it. A cookie whose row is gone is
 * signed out (app/_lib/auth/roles.ts, loadSessionUser), so ending a session is deleting its row,
 * and a copy of the cookie stops working with it. What the profile shows about each sign-in is
 * kept here and nowhere else: a summary of the browser's User-Agent and the client address with
 * its host part cleared (a /24 or a /48), never the full address.
 */
export const userSessions = sqliteTable(
  'user_sessions',
  {
    /** The token's `sid` claim: random, and worth nothing without the server's secret. */
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** How the reader signed in: "password", "link", or the provider's id ("oidc", "github"). */
    method: text('method').notNull(),
    /** The User-Agent header as sent, cut to 512 characters; summarised when shown. */
    userAgent: text('user_agent'),
    /** The client address's network ("203.0.113.0/24"), null when no address can be trusted. */
    network: text('network'),
    createdAt: createdAt(),
    /** Moved forward at most every few minutes (SESSION_TOUCH_MS), not on every request. */
    lastSeenAt: integer('last_seen_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index('user_sessions_user_idx').on(t.userId, t.lastSeenAt)],
);

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

export const commentStatuses = ['visible', 'pending', 'hidden', 'deleted'] as const;
export type CommentStatus = (typeof commentStatuses)[number];

/** Who wrote a version of a comment: its author, or a moderator (who must say why). */
export const editorRoles = ['author', 'moderator'] as const;
export type EditorRole = (typeof editorRoles)[number];

/**
 * Comments form threads at most three levels deep: depth 0 is a thread, 1 a reply, 2 a reply
 * to a reply. A reply to a depth-2 comment is stored at depth 2 beside it (same parent) and
 * remembers whom it answers in replyToId. rootId is the thread's top comment (itself for
 * depth 0), so a page of threads loads all its replies with one indexed query.
 */
export const comments = sqliteTable(
  'comments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    authorId: text('author_id')
      .notNull()
      .references(() => users.id),
    parentId: integer('parent_id').references((): AnySQLiteColumn => comments.id),
    rootId: integer('root_id'),
    replyToId: integer('reply_to_id').references((): AnySQLiteColumn => comments.id),
    depth: integer('depth').notNull().default(0),
    /** The discussion question this thread answers, if any; replies inherit it. */
    questionId: integer('question_id').references(() => questions.id, { onDelete: 'set null' }),
    bodyMarkdown: text('body_markdown').notNull(),
    /** Sanitized HTML rendered from bodyMarkdown when it was written. */
    bodyHtml: text('body_html').notNull(),
    status: text('status', { enum: commentStatuses }).notNull().default('visible'),
    /** Up-votes, kept in step with comment_votes in the same transaction, for "top" order. */
    score: integer('score').notNull().default(0),
    /** The form's one-time token, so a double submit stores one comment. */
    clientToken: text('client_token'),
    /** Why a comment is held or hidden: premoderation, links, words, reports, moderator, ban. */
    moderationReason: text('moderation_reason'),
    reportCount: integer('report_count').notNull().default(0),
    /** When a moderator last approved it; reports after that do not hide it again. */
    reviewedAt: integer('reviewed_at', { mode: 'timestamp_ms' }),
    /** "Editor's pick". */
    featuredAt: integer('featured_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    /**
     * Who wrote the current text, when it is not the first: the reader (as author) or a
     * moderator, and the moderator's reason. The texts it replaced are in comment_versions.
     */
    editedAt: integer('edited_at', { mode: 'timestamp_ms' }),
    editedBy: text('edited_by').references(() => users.id),
    editedAs: text('edited_as', { enum: editorRoles }),
    editReason: text('edit_reason'),
    deletedAt: integer('deleted_at', { mode: 'timestamp_ms' }),
    /**
     * Where an imported comment came from ('wordpress', 'disqus', or 'site' for one carried over
     * in this site's own export) and its id there: unique together, so importing a file again
     * adds nothing. Null for comments written here.
     */
    source: text('source'),
    sourceId: text('source_id'),
  },
  (t) => [
    uniqueIndex('comments_source_uq').on(t.source, t.sourceId),
    index('comments_threads_by_time_idx').on(t.articleId, t.createdAt, t.id).where(sql`${t.parentId} is null`),
    index('comments_threads_by_score_idx').on(t.articleId, t.score, t.id).where(sql`${t.parentId} is null`),
    index('comments_answers_by_time_idx')
      .on(t.articleId, t.questionId, t.createdAt, t.id)
      .where(sql`${t.parentId} is null`),
    index('comments_answers_by_score_idx')
      .on(t.articleId, t.questionId, t.score, t.id)
      .where(sql`${t.parentId} is null`),
    index('comments_replies_idx').on(t.rootId, t.createdAt, t.id),
    index('comments_article_id_idx').on(t.articleId, t.id),
    index('comments_author_idx').on(t.authorId, t.createdAt),
    index('comments_queue_idx').on(t.status, t.createdAt),
    index('comments_featured_idx').on(t.articleId, t.featuredAt),
    uniqueIndex('comments_author_token_uq').on(t.authorId, t.clientToken),
  ],
);

/**
 * Authors of imported comments who have no account here. Each has a users row that holds only
 * the name the comments show: no email, no password, no sign-in method, so nobody can sign in
 * as it and no account is created. The email from the source is kept here alone, never shown,
 * so that a reader who signs up with or verifies the same address can claim the comments
 * (db/queries/guest-authors.ts); the claim moves them to the reader and removes both rows.
 */
export const guestAuthors = sqliteTable(
  'guest_authors',
  {
    userId: text('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Normalised (trimmed, lower case) like users.email; null when the source gave none. */
    email: text('email'),
    /** The import that first met this author: 'wordpress', 'disqus' or 'site'. */
    source: text('source').notNull(),
    /** The author's key in that source (its email, or its name when the source gave no email). */
    sourceKey: text('source_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('guest_authors_source_key_uq').on(t.source, t.sourceKey), index('guest_authors_email_idx').on(t.email)],
);

/**
 * The texts a comment had before its current one, written by the edit that replaced each, in the
 * same transaction (db/queries/comment-writes.ts editCommentBody): what it said, when that text
 * was written (the comment's creation, or the edit that wrote it), by whom and why. The history
 * page shows them oldest first. An author's delete removes them with the text.
 */
export const commentVersions = sqliteTable(
  'comment_versions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    commentId: integer('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    bodyMarkdown: text('body_markdown').notNull(),
    bodyHtml: text('body_html').notNull(),
    writtenAt: integer('written_at', { mode: 'timestamp_ms' }).notNull(),
    writtenBy: text('written_by').references(() => users.id, { onDelete: 'set null' }),
    writtenAs: text('written_as', { enum: editorRoles }).notNull(),
    /** A moderator's reason for the edit that wrote this text; null for the author's own. */
    reason: text('reason'),
  },
  (t) => [index('comment_versions_comment_idx').on(t.commentId, t.id)],
);

/** One up-vote per reader per comment. */
export const commentVotes = sqliteTable(
  'comment_votes',
  {
    commentId: integer('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.commentId, t.userId] }), index('comment_votes_user_idx').on(t.userId)],
);

export { ARTICLE_POLICIES, REPORT_REASONS, type ArticlePolicy, type ReportReason } from './enums';

/** A reader's report of a comment: one per reader per comment. */
export const commentReports = sqliteTable(
  'comment_reports',
  {
    commentId: integer('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    reason: text('reason', { enum: REPORT_REASONS }).notNull(),
    details: text('details'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.commentId, t.userId] })],
);

/** Every moderation action: who did what to which comment, reader or article, when and why. */
export const moderationLog = sqliteTable(
  'moderation_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    actorId: text('actor_id')
      .notNull()
      .references(() => users.id),
    action: text('action').notNull(),
    targetType: text('target_type', { enum: ['comment', 'user', 'article'] }).notNull(),
    targetId: text('target_id').notNull(),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [index('moderation_log_created_idx').on(t.createdAt)],
);

/** A reader's stance on a closed question: one row per (question, reader), changeable. */
export const pollVotes = sqliteTable(
  'poll_votes',
  {
    questionId: integer('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    choiceId: integer('choice_id')
      .notNull()
      .references(() => questionChoices.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [primaryKey({ columns: [t.questionId, t.userId] }), index('poll_votes_choice_idx').on(t.choiceId)],
);

/**
 * A comment typed by a signed-out reader, kept while they sign in (keyed by a random token in
 * an HttpOnly cookie), so the box is filled again when they come back. Expires after a day.
 */
export const commentDrafts = sqliteTable('comment_drafts', {
  token: text('token').primaryKey(),
  articleId: integer('article_id')
    .notNull()
    .references(() => articles.id, { onDelete: 'cascade' }),
  body: text('body').notNull(),
  createdAt: createdAt(),
});

/**
 * What a comment deleted by its author held, for a short while (app/_lib/limits.ts UNDO_MS), so
 * "Undo" can put it back exactly as it was. The comment row itself is emptied at once; this row
 * goes when it is used or when a later delete finds it expired.
 */
export const commentUndo = sqliteTable('comment_undo', {
  commentId: integer('comment_id')
    .primaryKey()
    .references(() => comments.id, { onDelete: 'cascade' }),
  bodyMarkdown: text('body_markdown').notNull(),
  bodyHtml: text('body_html').notNull(),
  /** The status before the delete: visible, or held for review. */
  status: text('status', { enum: commentStatuses }).notNull(),
  expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
});

export const jobOutcomes = ['ok', 'failed'] as const;
export type JobOutcome = (typeof jobOutcomes)[number];

/**
 * The scheduled jobs (app/_lib/ops/jobs.ts): one row per job with its last run, when it is due
 * and who is running it. The lock is in the row, so two server processes on one database never
 * run a job at once; it has an expiry, so a process that died mid-run does not hold it forever.
 */
export const jobRuns = sqliteTable('job_runs', {
  name: text('name').primaryKey(),
  lastStartedAt: integer('last_started_at', { mode: 'timestamp_ms' }),
  lastFinishedAt: integer('last_finished_at', { mode: 'timestamp_ms' }),
  lastOutcome: text('last_outcome', { enum: jobOutcomes }),
  lastError: text('last_error'),
  lastDurationMs: integer('last_duration_ms'),
  /** When a run last succeeded, kept through later failures (the backup's age in the metrics). */
  lastSucceededAt: integer('last_succeeded_at', { mode: 'timestamp_ms' }),
  /** Failures since the last success: the retry waits 2^(n-1) times the job's base delay. */
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  totalRuns: integer('total_runs').notNull().default(0),
  totalFailures: integer('total_failures').notNull().default(0),
  nextRunAt: integer('next_run_at', { mode: 'timestamp_ms' }).notNull(),
  lockOwner: text('lock_owner'),
  lockExpiresAt: integer('lock_expires_at', { mode: 'timestamp_ms' }),
});

export const mailKinds = ['reply', 'discussion', 'digest', 'reset', 'verify', 'signin', 'account', 'test'] as const;
export type MailKind = (typeof mailKinds)[number];
export const mailStatuses = ['queued', 'sending', 'sent', 'failed'] as const;
export type MailStatus = (typeof mailStatuses)[number];

/**
 * The outbox (app/_lib/mail/): every message the site sends, written in the same transaction as
 * the event that causes it, so a rolled-back post sends nothing and a committed one is never
 * forgotten. A background sender claims due rows ('queued' to 'sending', with its name and the
 * time), hands them to SMTP or the .eml writer, and marks them 'sent', or back to 'queued' with
 * a later next_attempt_at, or 'failed' after MAIL_MAX_ATTEMPTS. The parts are composed at
 * enqueue and message_id fixed then, so every retry sends the very same message.
 */
export const mailOutbox = sqliteTable(
  'mail_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: mailKinds }).notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body').notNull(),
    /** Extra headers as a JSON object of strings (List-Unsubscribe, In-Reply-To ...). */
    headers: text('headers', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    /** `<random@site host>`, fixed at enqueue: a retry carries the same Message-ID. */
    messageId: text('message_id').notNull().unique(),
    status: text('status', { enum: mailStatuses }).notNull().default('queued'),
    /** Deliveries begun: counted when a row is claimed, so a crash mid-send counts too. */
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
    /** The sender that moved the row to 'sending', and when: what crash recovery looks at. */
    claimedBy: text('claimed_by'),
    claimedAt: integer('claimed_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('mail_outbox_status_due_idx').on(t.status, t.nextAttemptAt)],
);

/**
 * The readers a queued or sent message quotes or names (the authors of the comments a reply
 * notification, a discussion message or a digest lists): deleting an account deletes these
 * messages too, sent or not, so no copy of the reader's words or name outlives the account.
 */
export const mailMentions = sqliteTable(
  'mail_mentions',
  {
    mailId: integer('mail_id')
      .notNull()
      .references(() => mailOutbox.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.mailId, t.userId] }), index('mail_mentions_user_idx').on(t.userId)],
);

export const emailTokenPurposes = ['signup', 'verify', 'signin', 'reset', 'email-change'] as const;
export type EmailTokenPurpose = (typeof emailTokenPurposes)[number];

/**
 * The links the site mails: finish signing up, verify an address, sign in, reset a password,
 * confirm a new address. Only a SHA-256 of the token is stored, so a copy of the database signs
 * nobody in. A token is used once (used_at set by the statement that checks it) and expires.
 * `email` is the address the link was sent to; `payload` holds what the link completes (a
 * pending sign-up's name and password hash, an email change's new address).
 */
export const emailTokens = sqliteTable(
  'email_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    purpose: text('purpose', { enum: emailTokenPurposes }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    email: text('email').notNull(),
    userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
    payload: text('payload', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [index('email_tokens_user_idx').on(t.userId), index('email_tokens_expires_idx').on(t.expiresAt)],
);

/**
 * 'discussion': a held comment approved after a subscriber's discussion cursor had passed its id,
 * so the cursor alone would never mail it. (A stored text column: adding a reason needs no migration.)
 */
export const notificationReasons = ['reply', 'thread', 'held', 'reported', 'discussion'] as const;
export type NotificationReason = (typeof notificationReasons)[number];

/**
 * Something a reader (or, with recipient_id null, the moderators) should hear about, written in
 * the same transaction as the post, approval or report that causes it. The notify job turns the
 * unmailed rows into outbox mail, one message per reader per thread per NOTIFY_BATCH_MINUTES,
 * checking again then that the comment is still visible and the reader still wants mail.
 */
export const notifications = sqliteTable(
  'notifications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    recipientId: text('recipient_id').references(() => users.id, { onDelete: 'cascade' }),
    reason: text('reason', { enum: notificationReasons }).notNull(),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    rootId: integer('root_id'),
    commentId: integer('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    /** When it went into a mail, or was dropped (comment gone, reader unsubscribed). */
    doneAt: integer('done_at', { mode: 'timestamp_ms' }),
    /**
     * When the notify job should look at it next (ms): 0 when written, then the time its thread's
     * message falls due. A pass reads only rows whose time has come, so its cost follows what
     * is new or due, not everything waiting out a batch window.
     */
    dueAt: integer('due_at').notNull().default(0),
  },
  (t) => [
    index('notifications_pending_idx').on(t.doneAt, t.recipientId, t.rootId),
    index('notifications_due_idx').on(t.dueAt).where(sql`${t.doneAt} is null`),
    // One reader's unmailed events in one thread (the thread is the root, or the comment itself),
    // with the time each is due: what the notify job defers and mails under the write lock.
    index('notifications_thread_idx')
      .on(t.recipientId, sql`coalesce(${t.rootId}, ${t.commentId})`, t.dueAt)
      .where(sql`${t.doneAt} is null`),
    uniqueIndex('notifications_once_uq').on(t.recipientId, t.commentId, t.reason),
  ],
);

/**
 * "Email me about new comments" on a whole discussion. Not fanned out at write time (a post
 * would write a row per subscriber): the notify job reads comments after last_comment_id.
 */
export const discussionSubscriptions = sqliteTable(
  'discussion_subscriptions',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    articleId: integer('article_id')
      .notNull()
      .references(() => articles.id, { onDelete: 'cascade' }),
    /** The newest comment already mailed (or existing when they subscribed). */
    lastCommentId: integer('last_comment_id').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.articleId] }), index('discussion_subscriptions_article_idx').on(t.articleId)],
);

/** Threads a reader asked for no more mail about ("this thread" in an unsubscribe link). */
export const threadMutes = sqliteTable(
  'thread_mutes',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    rootId: integer('root_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.rootId] })],
);

/**
 * When a reader was last mailed about one scope ("thread:12", "article:1", "digest"): the
 * batching rule's memory, so a burst of replies waits for one message.
 */
export const notifyState = sqliteTable(
  'notify_state',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    scope: text('scope').notNull(),
    lastMailedAt: integer('last_mailed_at', { mode: 'timestamp_ms' }).notNull(),
    /** Moderators' digest: the newest notifications row already covered. */
    cursor: integer('cursor').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.scope] })],
);

export type Article = typeof articles.$inferSelect;
export type NewArticle = typeof articles.$inferInsert;
export type Question = typeof questions.$inferSelect;
export type NewQuestion = typeof questions.$inferInsert;
export type QuestionChoice = typeof questionChoices.$inferSelect;
export type User = typeof users.$inferSelect;
export type Comment = typeof comments.$inferSelect;
export type CommentVersion = typeof commentVersions.$inferSelect;
export type JobRun = typeof jobRuns.$inferSelect;
export type MailRow = typeof mailOutbox.$inferSelect;
export type EmailToken = typeof emailTokens.$inferSelect;
export type Notification = typeof notifications.$inferSelect;
export type GuestAuthor = typeof guestAuthors.$inferSelect;
