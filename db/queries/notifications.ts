import 'server-only';
import { and, asc, eq, gt, gte, inArray, isNull, lte, ne, or, sql, type Placeholder } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { getDb, preparedQuery, preparedQueryOn, type Db, type Tx } from '../index';
import { banInForce } from './users';
import {
  articles,
  comments,
  discussionSubscriptions,
  notifications,
  notifyState,
  threadMutes,
  users,
  type NotificationReason,
  type Role,
} from '../schema';

/*
 * Reply notifications. Events are written by the transaction that makes a comment visible (a
 * post, an approval), holds it or lets reports reach the threshold, so a rolled-back write
 * leaves no event and a committed one is never missed. The notify job (app/_lib/notify/) reads
 * them back, checks again that they still hold, and turns them into mail.
 */

type Conn = Db | Tx;

type EventComment = { id: number; articleId: number; authorId: string; parentId: number | null; rootId: number | null; replyToId: number | null };

/*
 * Every visible reply runs these two in its post's transaction: compiled once per connection
 * (db/index.ts, preparedQuery), on the connection's one handle, so inside the transaction.
 */
const insertEvent = preparedQuery((db) =>
  db
    .insert(notifications)
    .values({
      recipientId: sql.placeholder('recipientId'),
      reason: sql.placeholder('reason'),
      articleId: sql.placeholder('articleId'),
      rootId: sql.placeholder('rootId'),
      commentId: sql.placeholder('commentId'),
    })
    .onConflictDoNothing()
    .prepare(),
);
const authorOf = preparedQuery((db) =>
  db
    .select({ authorId: comments.authorId })
    .from(comments)
    .where(eq(comments.id, sql.placeholder('id')))
    .prepare(),
);

/** `_tx` is the proof it runs inside the caller's transaction (the statement uses its connection). */
function addEvent(_tx: Conn, recipientId: string | null, reason: NotificationReason, comment: EventComment & { rootId: number }): void {
  insertEvent().run({ recipientId, reason, articleId: comment.articleId, rootId: comment.rootId, commentId: comment.id });
}

/**
 * A comment became visible: its parent's author hears of a reply, the thread's starter of an
 * answer in their thread (once, when they are not also the parent's author). Never the author.
 */
export function recordVisibleComment(tx: Conn, comment: EventComment): void {
  const rootId = comment.rootId ?? comment.id;
  const answered = comment.replyToId ?? comment.parentId;
  if (answered === null) return;
  const parent = authorOf().get({ id: answered });
  const root = answered === rootId ? parent : authorOf().get({ id: rootId });
  const withRoot = { ...comment, rootId };
  if (parent && parent.authorId !== comment.authorId) addEvent(tx, parent.authorId, 'reply', withRoot);
  if (root && root.authorId !== comment.authorId && root.authorId !== parent?.authorId) addEvent(tx, root.authorId, 'thread', withRoot);
}

/**
 * A held comment was approved. Discussion subscribers are mailed by a cursor over comment ids,
 * and one that already moved past this id would never see it: each such subscriber gets an event.
 */
export function recordLateDiscussionComment(tx: Conn, comment: EventComment): void {
  const late = tx
    .select({ userId: discussionSubscriptions.userId })
    .from(discussionSubscriptions)
    .where(
      and(
        eq(discussionSubscriptions.articleId, comment.articleId),
        gte(discussionSubscriptions.lastCommentId, comment.id),
        ne(discussionSubscriptions.userId, comment.authorId),
      ),
    )
    .all();
  for (const { userId } of late) addEvent(tx, userId, 'discussion', { ...comment, rootId: comment.rootId ?? comment.id });
}

/**
 * An import stored comments with ids above `lastIdBefore`, up to `lastIdAfter`: subscribers of the
 * article are not mailed about them (years of old discussion are not news). Every cursor on the
 * article moves past them; comments written here that a subscriber had not been mailed yet
 * (between their cursor and the import) each get an event instead, as a late approval does.
 */
export function passImportedComments(tx: Conn, articleId: number, lastIdBefore: number, lastIdAfter: number): void {
  const subscriptions = tx
    .select({ userId: discussionSubscriptions.userId, cursor: discussionSubscriptions.lastCommentId })
    .from(discussionSubscriptions)
    .where(and(eq(discussionSubscriptions.articleId, articleId), lte(discussionSubscriptions.lastCommentId, lastIdAfter)))
    .all();
  for (const { userId, cursor } of subscriptions) {
    const unmailed = tx
      .select({ id: comments.id, articleId: comments.articleId, authorId: comments.authorId, parentId: comments.parentId, rootId: comments.rootId, replyToId: comments.replyToId })
      .from(comments)
      .where(and(eq(comments.articleId, articleId), gt(comments.id, cursor), lte(comments.id, lastIdBefore), eq(comments.status, 'visible'), ne(comments.authorId, userId)))
      .all();
    for (const comment of unmailed) addEvent(tx, userId, 'discussion', { ...comment, rootId: comment.rootId ?? comment.id });
    moveSubscriptionCursor(tx, userId, articleId, lastIdAfter);
  }
}

/** A comment waits for review: the moderators' digest lists it. */
export function recordHeldComment(tx: Conn, comment: EventComment): void {
  addEvent(tx, null, 'held', { ...comment, rootId: comment.rootId ?? comment.id });
}

/** Reports reached the threshold: the moderators' digest lists it. */
export function recordReportedComment(tx: Conn, commentId: number): void {
  const row = tx
    .select({ id: comments.id, articleId: comments.articleId, authorId: comments.authorId, parentId: comments.parentId, rootId: comments.rootId, replyToId: comments.replyToId })
    .from(comments)
    .where(eq(comments.id, commentId))
    .get();
  if (row) addEvent(tx, null, 'reported', { ...row, rootId: row.rootId ?? row.id });
}

/** A pending reader event with what the mail and its re-checks need. */
export type PendingReaderEvent = {
  id: number;
  recipientId: string;
  reason: NotificationReason;
  rootId: number;
  commentId: number;
  createdAt: Date;
};

const replyReasons: NotificationReason[] = ['reply', 'thread'];

const threadOf = sql<number>`coalesce(${notifications.rootId}, ${notifications.commentId})`;
/** Unmailed reply events: the condition every reply-event query starts from. */
const pendingReply = and(isNull(notifications.doneAt), sql`${notifications.recipientId} is not null`, inArray(notifications.reason, replyReasons));
/** One reader's thread among them. */
const inThread = (recipientId: string | Placeholder, rootId: number | Placeholder) =>
  and(pendingReply, eq(notifications.recipientId, recipientId), sql`${threadOf} = ${rootId}`);

/**
 * Readers' threads with unmailed reply events whose time to be looked at has come (new ones, and
 * those whose message fell due): when the earliest of those came, and when the thread last
 * mailed the reader. Read through the due index, so its cost follows what is new or due.
 */
export function pendingReaderThreads(now: number, db: Conn = getDb(), limit = 2000): { recipientId: string; rootId: number; firstAt: number; lastMailedAt: number | null }[] {
  return db
    .select({
      recipientId: sql<string>`${notifications.recipientId}`,
      rootId: threadOf,
      firstAt: sql<number>`min(${notifications.createdAt})`,
      lastMailedAt: sql<number | null>`max(${notifyState.lastMailedAt})`,
    })
    .from(notifications)
    .leftJoin(notifyState, and(eq(notifyState.userId, notifications.recipientId), eq(notifyState.scope, sql`'thread:' || ${threadOf}`)))
    .where(and(pendingReply, lte(notifications.dueAt, now)))
    .groupBy(notifications.recipientId, threadOf)
    .orderBy(sql`min(${notifications.id})`)
    .limit(limit)
    .all();
}

// Compiled once per connection, like insertEvent: a pass defers hundreds of threads.
const deferThread = preparedQuery((db) =>
  db
    .update(notifications)
    .set({ dueAt: sql`${sql.placeholder('until')}` })
    .where(and(inThread(sql.placeholder('recipientId'), sql.placeholder('rootId')), lte(notifications.dueAt, sql.placeholder('now'))))
    .prepare(),
);

/**
 * A thread's message is not due yet: its events are next looked at when it is. `_tx` is the
 * proof it runs inside the caller's transaction (the statement uses its connection).
 */
export function deferReaderThread(_tx: Conn, recipientId: string, rootId: number, until: number, now: number): void {
  deferThread().run({ recipientId, rootId, until, now });
}

/*
 * The notify pass runs the queries below for every message it composes and stores: compiled once
 * per connection (preparedQueryOn) instead of built by Drizzle and compiled by SQLite each time,
 * which was half of the job thread's time per message (the notify bench, under --cpu-prof).
 * A list of ids goes in as one JSON array (json_each), so one statement serves every length.
 */
const inIds = (column: typeof notifications.id | typeof comments.id) => sql`${column} in (select value from json_each(${sql.placeholder('ids')}))`;

const readerEvents = preparedQueryOn((db) =>
  db
    .select({
      id: notifications.id,
      recipientId: sql<string>`${notifications.recipientId}`,
      reason: notifications.reason,
      rootId: threadOf,
      commentId: notifications.commentId,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .where(inThread(sql.placeholder('recipientId'), sql.placeholder('rootId')))
    .orderBy(asc(notifications.id))
    .prepare(),
);

/** One reader's unmailed reply events in one thread, oldest first. */
export function pendingReaderEvents(recipientId: string, rootId: number, db: Conn = getDb()): PendingReaderEvent[] {
  return readerEvents(db).all({ recipientId, rootId });
}

/** Unmailed 'discussion' events (late approvals), oldest first. */
export function pendingDiscussionEvents(db: Conn = getDb()): { id: number; userId: string; articleId: number; commentId: number; createdAt: Date }[] {
  return db
    .select({
      id: notifications.id,
      userId: sql<string>`${notifications.recipientId}`,
      articleId: notifications.articleId,
      commentId: notifications.commentId,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .where(and(isNull(notifications.doneAt), eq(notifications.reason, 'discussion')))
    .orderBy(asc(notifications.id))
    .all();
}

/** What a notification says about one comment, and whether it may still be mailed. */
export type NotifiedComment = {
  id: number;
  articleId: number;
  slug: string;
  articleTitle: string;
  rootId: number;
  authorId: string;
  authorName: string;
  bodyMarkdown: string;
  createdAt: Date;
  /** Visible, and its author not banned now. */
  mailable: boolean;
};

const commentsToNotify = preparedQueryOn((db) =>
  db
    .select({
      id: comments.id,
      articleId: comments.articleId,
      slug: articles.slug,
      articleTitle: articles.title,
      rootId: sql<number>`coalesce(${comments.rootId}, ${comments.id})`,
      authorId: comments.authorId,
      authorName: sql<string>`coalesce(${users.name}, 'A reader')`,
      bodyMarkdown: comments.bodyMarkdown,
      createdAt: comments.createdAt,
      status: comments.status,
      bannedAt: users.bannedAt,
      bannedUntil: users.bannedUntil,
    })
    .from(comments)
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(inIds(comments.id))
    .prepare(),
);

export function notifiedComments(ids: number[], now: number, db: Conn = getDb()): Map<number, NotifiedComment> {
  if (ids.length === 0) return new Map();
  const rows = commentsToNotify(db).all({ ids: JSON.stringify(ids) });
  return new Map(
    rows.map(({ status, bannedAt, bannedUntil, ...row }) => {
      return [row.id, { ...row, mailable: status === 'visible' && !banInForce(bannedAt, bannedUntil, now) }];
    }),
  );
}

/** A reader as the notify job sees them: where to write and whether they want mail. */
export type Recipient = { id: string; name: string | null; email: string | null; verified: boolean; notifyReplies: boolean; role: Role };

const recipientRows = preparedQueryOn((db) =>
  db
    .select({ id: users.id, name: users.name, email: users.email, emailVerified: users.emailVerified, notifyReplies: users.notifyReplies, role: users.role })
    .from(users)
    .where(sql`${users.id} in (select value from json_each(${sql.placeholder('ids')}))`)
    .prepare(),
);

export function recipientsById(ids: string[], db: Conn = getDb()): Map<string, Recipient> {
  if (ids.length === 0) return new Map();
  const rows = recipientRows(db).all({ ids: JSON.stringify(ids) });
  return new Map(rows.map(({ emailVerified, ...row }) => [row.id, { ...row, verified: emailVerified !== null }]));
}

const threadMute = preparedQueryOn((db) =>
  db
    .select({ rootId: threadMutes.rootId })
    .from(threadMutes)
    .where(and(eq(threadMutes.userId, sql.placeholder('userId')), eq(threadMutes.rootId, sql.placeholder('rootId'))))
    .prepare(),
);

export function isThreadMuted(userId: string, rootId: number, db: Conn = getDb()): boolean {
  return !!threadMute(db).get({ userId, rootId });
}

/** When the reader was last mailed about `scope`, and the digest's cursor. */
export function notifyStateOf(userId: string, scope: string, db: Conn = getDb()): { lastMailedAt: Date; cursor: number } | null {
  return (
    db
      .select({ lastMailedAt: notifyState.lastMailedAt, cursor: notifyState.cursor })
      .from(notifyState)
      .where(and(eq(notifyState.userId, userId), eq(notifyState.scope, scope)))
      .get() ?? null
  );
}

const upsertNotifyState = preparedQueryOn((db) =>
  db
    .insert(notifyState)
    .values({ userId: sql.placeholder('userId'), scope: sql.placeholder('scope'), lastMailedAt: sql.placeholder('at'), cursor: sql.placeholder('cursor') })
    .onConflictDoUpdate({ target: [notifyState.userId, notifyState.scope], set: { lastMailedAt: sql`excluded.last_mailed_at`, cursor: sql`excluded.cursor` } })
    .prepare(),
);

export function setNotifyState(tx: Conn, userId: string, scope: string, at: Date, cursor = 0): void {
  upsertNotifyState(tx).run({ userId, scope, at, cursor });
}

const markDone = preparedQueryOn((db) =>
  db
    .update(notifications)
    .set({ doneAt: sql`${sql.placeholder('at')}` })
    .where(inIds(notifications.id))
    .prepare(),
);

export function markEventsDone(tx: Conn, ids: number[], at: Date): void {
  if (ids.length > 0) markDone(tx).run({ at: at.getTime(), ids: JSON.stringify(ids) });
}

/* Moderators' digest. */

/** Accounts that may moderate by their stored role, with a verified address (ADMIN_EMAILS is applied by the caller). */
export function digestCandidates(adminEmails: string[], db: Conn = getDb()): Recipient[] {
  const rows = db
    .select({ id: users.id, name: users.name, email: users.email, emailVerified: users.emailVerified, notifyReplies: users.notifyReplies, role: users.role })
    .from(users)
    .where(
      and(
        sql`${users.emailVerified} is not null`,
        adminEmails.length > 0 ? or(ne(users.role, 'reader'), inArray(users.email, adminEmails)) : ne(users.role, 'reader'),
      ),
    )
    .all();
  return rows.map(({ emailVerified, ...row }) => ({ ...row, verified: emailVerified !== null }));
}

export type ModeratorEvent = { id: number; reason: NotificationReason; commentId: number; createdAt: Date; stillWaiting: boolean };

/** The newest moderators' event, done or not (0 when there is none). */
export function newestModeratorEventId(db: Conn = getDb()): number {
  return db.select({ id: sql<number>`coalesce(max(${notifications.id}), 0)` }).from(notifications).where(isNull(notifications.recipientId)).get()?.id ?? 0;
}

/** Held and reported events after `cursor`, each with whether it still waits for a moderator. */
export function moderatorEventsAfter(cursor: number, db: Conn = getDb()): ModeratorEvent[] {
  const rows = db
    .select({
      id: notifications.id,
      reason: notifications.reason,
      commentId: notifications.commentId,
      createdAt: notifications.createdAt,
      status: comments.status,
      reviewedAt: comments.reviewedAt,
    })
    .from(notifications)
    .innerJoin(comments, eq(comments.id, notifications.commentId))
    .where(and(isNull(notifications.recipientId), gt(notifications.id, cursor)))
    .orderBy(asc(notifications.id))
    .limit(500)
    .all();
  return rows.map(({ status, reviewedAt, ...row }) => ({
    ...row,
    stillWaiting: row.reason === 'held' ? status === 'pending' : status !== 'deleted' && reviewedAt === null,
  }));
}

/** Moderator events every moderator's digest has covered: done. */
export function finishModeratorEvents(tx: Conn, upTo: number, at: Date): void {
  tx.update(notifications)
    .set({ doneAt: at })
    .where(and(isNull(notifications.recipientId), isNull(notifications.doneAt), lte(notifications.id, upTo)))
    .run();
}

/* Discussion subscriptions. */

export function isSubscribed(userId: string, articleId: number, db: Conn = getDb()): boolean {
  return subscriptionCursor(userId, articleId, db) !== null;
}

/** Subscribes from now on: comments already there are not mailed. */
export function subscribe(userId: string, articleId: number, db: Conn = getDb()): void {
  const latest = db.select({ id: sql<number>`coalesce(max(${comments.id}), 0)` }).from(comments).where(eq(comments.articleId, articleId)).get();
  db.insert(discussionSubscriptions)
    .values({ userId, articleId, lastCommentId: latest?.id ?? 0 })
    .onConflictDoNothing()
    .run();
}

export function unsubscribe(userId: string, articleId: number, db: Conn = getDb()): void {
  db.delete(discussionSubscriptions)
    .where(and(eq(discussionSubscriptions.userId, userId), eq(discussionSubscriptions.articleId, articleId)))
    .run();
}

export function subscriptionsOf(userId: string, db: Conn = getDb()): { articleId: number; slug: string; title: string }[] {
  return db
    .select({ articleId: articles.id, slug: articles.slug, title: articles.title })
    .from(discussionSubscriptions)
    .innerJoin(articles, eq(articles.id, discussionSubscriptions.articleId))
    .where(eq(discussionSubscriptions.userId, userId))
    .orderBy(asc(articles.title))
    .all();
}

/**
 * Subscriptions with visible comments after their cursor: the first such comment's time (ids
 * grow with time, so the first after the cursor, found by one index step per subscription), and
 * when the discussion last mailed the subscriber.
 */
export function subscriptionsWithNews(db: Conn = getDb()): { userId: string; articleId: number; firstNewAt: number; lastMailedAt: number | null }[] {
  const firstNew = sql<number | null>`(select ${comments.createdAt} from ${comments} where ${comments.articleId} = ${discussionSubscriptions.articleId} and ${comments.id} > ${discussionSubscriptions.lastCommentId} and ${comments.status} = 'visible' and ${comments.authorId} <> ${discussionSubscriptions.userId} order by ${comments.id} limit 1)`;
  // A select over one table names its columns unqualified, which inside the subquery would
  // bind to comments; the join makes Drizzle qualify every column.
  const rows = db
    .select({
      userId: discussionSubscriptions.userId,
      articleId: discussionSubscriptions.articleId,
      firstNewAt: firstNew,
      lastMailedAt: notifyState.lastMailedAt,
    })
    .from(discussionSubscriptions)
    .leftJoin(notifyState, and(eq(notifyState.userId, discussionSubscriptions.userId), eq(notifyState.scope, sql`'article:' || ${discussionSubscriptions.articleId}`)))
    .all();
  return rows.flatMap((row) => (row.firstNewAt === null ? [] : [{ ...row, firstNewAt: row.firstNewAt, lastMailedAt: row.lastMailedAt?.getTime() ?? null }]));
}

/**
 * New visible comments for a subscriber, after the cursor (and `late` ones approved behind it):
 * not their own, and not those a reply mail already tells them of. Also the newest id looked at,
 * where the cursor moves to.
 */
export function newDiscussionComments(
  userId: string,
  articleId: number,
  after: number,
  late: number[],
  db: Conn = getDb(),
): { ids: number[]; newest: number } {
  const told = alias(notifications, 'told');
  const rows = db
    .select({ id: comments.id, authorId: comments.authorId, toldId: told.id })
    .from(comments)
    .leftJoin(told, and(eq(told.commentId, comments.id), eq(told.recipientId, userId), inArray(told.reason, replyReasons)))
    .where(and(eq(comments.articleId, articleId), or(gt(comments.id, after), inArray(comments.id, late)), eq(comments.status, 'visible')))
    .orderBy(asc(comments.id))
    .limit(200)
    .all();
  const newest = rows.reduce((max, row) => Math.max(max, row.id), after);
  return { ids: rows.filter((row) => row.authorId !== userId && row.toldId === null).map((row) => row.id), newest };
}

export function subscriptionCursor(userId: string, articleId: number, db: Conn = getDb()): number | null {
  const row = db
    .select({ lastCommentId: discussionSubscriptions.lastCommentId })
    .from(discussionSubscriptions)
    .where(and(eq(discussionSubscriptions.userId, userId), eq(discussionSubscriptions.articleId, articleId)))
    .get();
  return row ? row.lastCommentId : null;
}

export function moveSubscriptionCursor(tx: Conn, userId: string, articleId: number, to: number): void {
  tx.update(discussionSubscriptions)
    .set({ lastCommentId: to })
    .where(and(eq(discussionSubscriptions.userId, userId), eq(discussionSubscriptions.articleId, articleId)))
    .run();
}

/* Unsubscribing. */

export function muteThread(userId: string, rootId: number, db: Conn = getDb()): void {
  db.insert(threadMutes).values({ userId, rootId }).onConflictDoNothing().run();
}

/** "All notifications": no reply mail, no discussion mail. */
export function stopAllNotifications(userId: string, db: Conn = getDb()): void {
  db.transaction((tx) => {
    tx.update(users).set({ notifyReplies: false }).where(eq(users.id, userId)).run();
    tx.delete(discussionSubscriptions).where(eq(discussionSubscriptions.userId, userId)).run();
  });
}

export function setNotifyReplies(userId: string, on: boolean, db: Conn = getDb()): void {
  db.update(users).set({ notifyReplies: on }).where(eq(users.id, userId)).run();
}

export function userExists(userId: string, db: Conn = getDb()): boolean {
  return !!db.select({ id: users.id }).from(users).where(eq(users.id, userId)).get();
}

export function articleTitle(articleId: number, db: Conn = getDb()): string | null {
  return db.select({ title: articles.title }).from(articles).where(eq(articles.id, articleId)).get()?.title ?? null;
}

/** The profile's notification switch, and whether mail can reach the reader at all. */
export function notificationSettingsOf(userId: string, db: Conn = getDb()): { notifyReplies: boolean; verified: boolean } | null {
  const row = db.select({ notifyReplies: users.notifyReplies, emailVerified: users.emailVerified }).from(users).where(eq(users.id, userId)).get();
  return row ? { notifyReplies: row.notifyReplies, verified: row.emailVerified !== null } : null;
}
