import 'server-only';
import { randomBytes } from 'node:crypto';
import { and, asc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../index';
import { adjustVisibleCounts } from './comment-writes';
import {
  accounts,
  articles,
  commentDrafts,
  commentReports,
  commentUndo,
  commentVersions,
  commentVotes,
  comments,
  discussionSubscriptions,
  emailTokens,
  guestAuthors,
  mailMentions,
  mailOutbox,
  moderationLog,
  pollVotes,
  questionChoices,
  questions,
  rateLimits,
  threadMutes,
  users,
  verificationTokens,
} from '../schema';

/*
 * A reader's rights over their data: everything stored about them, read in pages for the export
 * (app/_lib/account/export.ts streams it), and the erasure of their account in one transaction.
 */

/** The account as the export shows it: never the password hash, the session version or a token. */
export function exportAccount(userId: string, db: Db = getDb()) {
  const row = db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      emailVerified: users.emailVerified,
      role: users.role,
      hasPassword: sql<number>`${users.passwordHash} is not null`,
      bannedAt: users.bannedAt,
      bannedUntil: users.bannedUntil,
      banReason: users.banReason,
      notifyReplies: users.notifyReplies,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!row) return null;
  const { bannedAt, bannedUntil, banReason, hasPassword, ...rest } = row;
  return { ...rest, hasPassword: hasPassword === 1, ban: bannedAt ? { since: bannedAt, until: bannedUntil, reason: banReason } : null };
}

/** Linked sign-in providers: which provider and the account id it gave; never its tokens. */
export function exportProviders(userId: string, db: Db = getDb()) {
  return db.select({ provider: accounts.provider, providerAccountId: accounts.providerAccountId, type: accounts.type }).from(accounts).where(eq(accounts.userId, userId)).orderBy(asc(accounts.provider)).all();
}

/**
 * One page of the reader's comments after `afterId` (keyset: the export never holds more than a
 * page), each with its earlier versions, oldest first. Who wrote a version is said as a role
 * ("author" or "moderator"), never as another reader's id.
 */
export function exportCommentPage(userId: string, afterId: number, size: number, db: Db = getDb()) {
  const rows = db
    .select({
      id: comments.id,
      article: articles.slug,
      parentId: comments.parentId,
      replyToId: comments.replyToId,
      question: questions.key,
      status: comments.status,
      markdown: comments.bodyMarkdown,
      score: comments.score,
      createdAt: comments.createdAt,
      editedAt: comments.editedAt,
      editedAs: comments.editedAs,
      editReason: comments.editReason,
      deletedAt: comments.deletedAt,
    })
    .from(comments)
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .leftJoin(questions, eq(questions.id, comments.questionId))
    .where(and(eq(comments.authorId, userId), gt(comments.id, afterId)))
    .orderBy(asc(comments.id))
    .limit(size)
    .all();
  const versions = new Map<number, { markdown: string; writtenAt: Date; writtenAs: string; reason: string | null }[]>();
  if (rows.length > 0) {
    const earlier = db
      .select({ commentId: commentVersions.commentId, markdown: commentVersions.bodyMarkdown, writtenAt: commentVersions.writtenAt, writtenAs: commentVersions.writtenAs, reason: commentVersions.reason })
      .from(commentVersions)
      .where(inArray(commentVersions.commentId, rows.map((r) => r.id)))
      .orderBy(asc(commentVersions.commentId), asc(commentVersions.id))
      .all();
    for (const { commentId, ...version } of earlier) versions.set(commentId, [...(versions.get(commentId) ?? []), version]);
  }
  return rows.map((row) => ({ ...row, earlierVersions: versions.get(row.id) ?? [] }));
}

/** One page of the reader's up-votes after comment `afterId` (one vote per comment: a keyset). */
export function exportVotePage(userId: string, afterId: number, size: number, db: Db = getDb()) {
  return db
    .select({ commentId: commentVotes.commentId, article: articles.slug, createdAt: commentVotes.createdAt })
    .from(commentVotes)
    .innerJoin(comments, eq(comments.id, commentVotes.commentId))
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .where(and(eq(commentVotes.userId, userId), gt(commentVotes.commentId, afterId)))
    .orderBy(asc(commentVotes.commentId))
    .limit(size)
    .all();
}

/** One page of the reports the reader made, after comment `afterId`. */
export function exportReportPage(userId: string, afterId: number, size: number, db: Db = getDb()) {
  return db
    .select({ commentId: commentReports.commentId, reason: commentReports.reason, details: commentReports.details, createdAt: commentReports.createdAt })
    .from(commentReports)
    .where(and(eq(commentReports.userId, userId), gt(commentReports.commentId, afterId)))
    .orderBy(asc(commentReports.commentId))
    .limit(size)
    .all();
}

/** The reader's answers to the articles' polls (one per question: a few rows). */
export function exportStances(userId: string, db: Db = getDb()) {
  return db
    .select({ article: articles.slug, question: questions.key, choice: questionChoices.key, label: questionChoices.label, createdAt: pollVotes.createdAt, updatedAt: pollVotes.updatedAt })
    .from(pollVotes)
    .innerJoin(questions, eq(questions.id, pollVotes.questionId))
    .innerJoin(articles, eq(articles.id, questions.articleId))
    .innerJoin(questionChoices, eq(questionChoices.id, pollVotes.choiceId))
    .where(eq(pollVotes.userId, userId))
    .orderBy(asc(pollVotes.questionId))
    .all();
}

/** Discussions followed and threads muted (one row per article or thread: a few rows). */
export function exportSubscriptions(userId: string, db: Db = getDb()) {
  const discussions = db
    .select({ article: articles.slug, since: discussionSubscriptions.createdAt })
    .from(discussionSubscriptions)
    .innerJoin(articles, eq(articles.id, discussionSubscriptions.articleId))
    .where(eq(discussionSubscriptions.userId, userId))
    .orderBy(asc(articles.slug))
    .all();
  const mutedThreads = db.select({ threadId: threadMutes.rootId, since: threadMutes.createdAt }).from(threadMutes).where(eq(threadMutes.userId, userId)).orderBy(asc(threadMutes.rootId)).all();
  return { discussions, mutedThreads };
}

/**
 * The draft this browser keeps (comment_drafts are typed signed out and keyed by the browser's
 * draft cookie, not by account, so the cookie is the only way to know which one is the reader's).
 */
export function exportDraft(token: string | null, db: Db = getDb()) {
  if (!token) return [];
  return db
    .select({ article: articles.slug, body: commentDrafts.body, createdAt: commentDrafts.createdAt })
    .from(commentDrafts)
    .innerJoin(articles, eq(articles.id, commentDrafts.articleId))
    .where(eq(commentDrafts.token, token))
    .all();
}

/** Roles that keep a site running: who else is an admin, so the last one cannot leave. */
export function otherAdmins(userId: string, adminEmails: readonly string[], db: Db | Tx = getDb()): number {
  const configured = adminEmails.length > 0 ? and(sql`${users.emailVerified} is not null`, inArray(users.email, [...adminEmails])) : undefined;
  const row = db
    .select({ n: sql<number>`count(*)` })
    .from(users)
    .where(and(sql`${users.id} <> ${userId}`, configured ? or(eq(users.role, 'admin'), configured) : eq(users.role, 'admin')))
    .get();
  return row?.n ?? 0;
}

export type CommentChoice = 'remove' | 'keep';

/** The prefix of the placeholder accounts that stand where a deleted reader was. */
export const FORMER_READER_PREFIX = 'former-reader-';
/** How the placeholder is shown beside comments kept after their author left. */
export const FORMER_READER_NAME = 'A former reader';

export type Erasure = { formerId: string; articleSlugs: string[]; comments: { kept: number; removed: number } };

/**
 * Deletes a reader's account in one transaction. Their comments move to a fresh placeholder
 * account (no email; shown as "A former reader"): kept as they are, or emptied (a tombstone
 * where replies hang from it, as the author's own delete leaves, versions removed). Votes, poll
 * stances and reports go, with the counters they fed. The moderation log keeps its entries,
 * the reader in them replaced by the placeholder's id. Rate-limit keys that name their address
 * or id, mail to their addresses, mailed links and Auth.js tokens go; the rest (providers,
 * notifications, subscriptions, mutes) goes with the user row (on delete cascade). Returns null
 * when there is no such account (a second request, or a race with another one).
 */
export function eraseAccount(userId: string, choice: CommentChoice, draftToken: string | null, db: Db = getDb()): Erasure | null {
  return db.transaction(
    (tx) => {
      const user = tx.select({ email: users.email }).from(users).where(eq(users.id, userId)).get();
      if (!user) return null;
      // Every address this account was mailed at: the current one and those its links named.
      const linked = tx.select({ email: emailTokens.email }).from(emailTokens).where(eq(emailTokens.userId, userId)).all();
      const addresses = [...new Set([user.email, ...linked.map((l) => l.email)].filter((a): a is string => !!a))];

      // Comments imported under one of these addresses and never claimed: the address is the
      // reader's, so it goes (and with it the key a later import would know the author by); the
      // comments stay under the name they were published with on the old site.
      if (addresses.length > 0) {
        tx.update(guestAuthors)
          .set({ email: null, sourceKey: sql`'erased:' || ${guestAuthors.userId}` })
          .where(inArray(guestAuthors.email, addresses))
          .run();
      }

      const formerId = `${FORMER_READER_PREFIX}${randomBytes(8).toString('hex')}`;
      tx.insert(users).values({ id: formerId, name: FORMER_READER_NAME, email: null, notifyReplies: false }).run();

      // Their comments: the counts first (a removed comment stops counting), then the rows.
      const theirs = tx
        .select({ id: comments.id, status: comments.status, articleId: comments.articleId, parentId: comments.parentId, questionId: comments.questionId, slug: articles.slug })
        .from(comments)
        .innerJoin(articles, eq(articles.id, comments.articleId))
        .where(eq(comments.authorId, userId))
        .all();
      let removed = 0;
      if (choice === 'remove') {
        for (const row of theirs) {
          if (row.status === 'visible') adjustVisibleCounts(tx, row, -1);
          if (row.status !== 'deleted') removed += 1;
        }
        tx.delete(commentVersions).where(inArray(commentVersions.commentId, tx.select({ id: comments.id }).from(comments).where(eq(comments.authorId, userId)))).run();
        tx.update(comments)
          .set({ status: 'deleted', bodyMarkdown: '', bodyHtml: '', deletedAt: sql`coalesce(${comments.deletedAt}, unixepoch('subsec') * 1000)`, clientToken: null, editReason: null, moderationReason: null })
          .where(and(eq(comments.authorId, userId), sql`${comments.status} <> 'deleted'`))
          .run();
      }
      // An undo copy holds a deleted comment's text: the reader who could use it is leaving.
      tx.delete(commentUndo).where(inArray(commentUndo.commentId, tx.select({ id: comments.id }).from(comments).where(eq(comments.authorId, userId)))).run();
      tx.update(comments).set({ authorId: formerId }).where(eq(comments.authorId, userId)).run();
      tx.update(comments).set({ editedBy: formerId }).where(eq(comments.editedBy, userId)).run();
      tx.update(commentVersions).set({ writtenBy: formerId }).where(eq(commentVersions.writtenBy, userId)).run();

      // Votes, stances and reports go; the counters they fed go down with them.
      tx.run(sql`update comments set score = max(score - 1, 0) where id in (select comment_id from comment_votes where user_id = ${userId})`);
      tx.delete(commentVotes).where(eq(commentVotes.userId, userId)).run();
      tx.run(sql`update question_choices set vote_count = max(vote_count - 1, 0) where id in (select choice_id from poll_votes where user_id = ${userId})`);
      tx.delete(pollVotes).where(eq(pollVotes.userId, userId)).run();
      tx.run(sql`update comments set report_count = max(report_count - 1, 0) where id in (select comment_id from comment_reports where user_id = ${userId})`);
      tx.delete(commentReports).where(eq(commentReports.userId, userId)).run();

      // The log keeps what happened; the reader in it becomes the placeholder's opaque id.
      tx.update(moderationLog).set({ actorId: formerId }).where(eq(moderationLog.actorId, userId)).run();
      tx.update(moderationLog)
        .set({ targetId: formerId })
        .where(and(eq(moderationLog.targetType, 'user'), eq(moderationLog.targetId, userId)))
        .run();

      // Mail to others that quotes or names them, queued or sent (kept a while for the admin's
      // mail page): deleted with its mail_mentions row, so no copy outlives the account.
      tx.delete(mailOutbox)
        .where(inArray(mailOutbox.id, tx.select({ id: mailMentions.mailId }).from(mailMentions).where(eq(mailMentions.userId, userId))))
        .run();

      // Keys and rows that name them without a foreign key.
      for (const subject of [userId, ...addresses]) tx.delete(rateLimits).where(sql`instr(${rateLimits.key}, ${subject}) > 0`).run();
      if (addresses.length > 0) {
        tx.delete(mailOutbox).where(inArray(mailOutbox.toAddress, addresses)).run();
        tx.delete(emailTokens).where(inArray(emailTokens.email, addresses)).run();
        tx.delete(verificationTokens).where(inArray(verificationTokens.identifier, addresses)).run();
      }
      if (draftToken) tx.delete(commentDrafts).where(eq(commentDrafts.token, draftToken)).run();

      // Providers, sessions, notifications, subscriptions, mutes, notify state: on delete cascade.
      tx.delete(users).where(eq(users.id, userId)).run();
      return {
        formerId,
        articleSlugs: [...new Set(theirs.map((t) => t.slug))],
        comments: { kept: choice === 'keep' ? theirs.filter((t) => t.status !== 'deleted').length : 0, removed },
      };
    },
    { behavior: 'immediate' },
  );
}
