/*
 * The notify job: turns the event rows (db/queries/notifications.ts) and the discussion
 * subscriptions into outbox mail. One message per reader per thread (or discussion), due at
 * max(first new event + NOTIFY_DELAY_SECONDS, last message about that scope +
 * NOTIFY_BATCH_MINUTES), so a burst of replies becomes one message that lists them. What held
 * when the event was written is checked again here: the comment may have been deleted, its
 * author banned, the reader may have unsubscribed since. Each message is stored in the same
 * transaction that marks its events done, so a crash mails nothing twice and loses nothing.
 */
import { readThenWrite, type Db, type Tx } from '@/db/index';
import {
  digestCandidates,
  finishModeratorEvents,
  isThreadMuted,
  markEventsDone,
  moderatorEventsAfter,
  newestModeratorEventId,
  moveSubscriptionCursor,
  newDiscussionComments,
  notifiedComments,
  notifyStateOf,
  pendingDiscussionEvents,
  pendingReaderEvents,
  pendingReaderThreads,
  deferReaderThread,
  recipientsById,
  setNotifyState,
  subscriptionCursor,
  subscriptionsWithNews,
  type NotifiedComment,
  type PendingReaderEvent,
  type Recipient,
} from '@/db/queries/notifications';
import { enqueueMail } from '@/db/queries/mail';
import { effectiveRole } from '../auth/roles';
import { ensureAuthSecret } from '../auth/secret';
import { settings } from '../config.mjs';
import { markdownToText } from '../content/markdown';
import { commentPath, site } from '../content/site';
import { excerpt } from '../mail/compose';
import { prepareMail, type QueuedMail } from '../mail/store';
import { unsubscribeToken, type UnsubscribeScope } from './token';

export const NOTIFY_JOB = 'notify';
/**
 * How often the job looks for batches that fell due. A post does not wake it: nothing is due
 * before NOTIFY_DELAY_SECONDS, and a pass per post (38 a second in the bench) cost every writer.
 */
export const NOTIFY_INTERVAL_MS = 5_000;

export type NotifyConfig = {
  delayMs: number;
  batchMs: number;
  /** The public origin every link in a message is built on. */
  origin: string;
  secret: string;
  adminEmails: string[];
};

export function notifyConfig(): NotifyConfig {
  const config = settings();
  return {
    delayMs: config.NOTIFY_DELAY_SECONDS * 1000,
    batchMs: config.NOTIFY_BATCH_MINUTES * 60_000,
    origin: site.url,
    secret: ensureAuthSecret(),
    adminEmails: config.ADMIN_EMAILS,
  };
}

/** When a scope's next message may go: after the delay that gathers a burst, and a batch after the last. */
export function dueAt(firstEventAt: number, lastMailedAt: number | null, config: Pick<NotifyConfig, 'delayMs' | 'batchMs'>): number {
  return Math.max(firstEventAt + config.delayMs, lastMailedAt === null ? 0 : lastMailedAt + config.batchMs);
}

export const permalink = (origin: string, comment: { slug: string; id: number }) => `${origin}${commentPath(comment.slug, comment.id)}`;
export const settingsUrl = (origin: string) => `${origin}/profile#notifications`;

/** The RFC 8058 headers and the footer links every notification carries. */
function unsubscribeParts(config: NotifyConfig, userId: string, scope: UnsubscribeScope, what: string): Pick<QueuedMail, 'headers' | 'footerLinks'> {
  const token = unsubscribeToken(userId, scope, config.secret);
  return {
    headers: {
      'List-Unsubscribe': `<${config.origin}/api/unsubscribe?token=${token}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    footerLinks: [
      { label: 'Notification settings', url: settingsUrl(config.origin) },
      { label: `Unsubscribe from ${what}`, url: `${config.origin}/unsubscribe?token=${token}` },
    ],
  };
}

const commentText = (comment: NotifiedComment) => excerpt(markdownToText(comment.bodyMarkdown));

/**
 * A message lists this many comments at most and counts the rest, with a link to them all: a
 * mail of 200 excerpts is read by nobody, and composing it held the server's one thread.
 */
export const MAIL_ITEMS_MAX = 10;
function firstItems<T>(all: T[]): { shown: T[]; more: string[] } {
  const rest = all.length - MAIL_ITEMS_MAX;
  return { shown: all.slice(0, MAIL_ITEMS_MAX), more: rest > 0 ? [`…and ${rest} more.`] : [] };
}

/** The message telling one reader of new replies in one thread. */
export function replyMail(recipient: Recipient & { email: string }, rootId: number, items: { reason: PendingReaderEvent['reason']; comment: NotifiedComment }[], config: NotifyConfig): QueuedMail {
  const title = items[0]!.comment.articleTitle;
  const first = items[0]!;
  const { shown, more } = firstItems(items);
  const subject =
    items.length === 1
      ? `${first.comment.authorName} ${first.reason === 'reply' ? 'replied to you' : 'answered in your thread'} on “${title}”`
      : `${items.length} new replies in your thread on “${title}”`;
  return {
    kind: 'reply',
    to: recipient.email,
    subject,
    mentions: items.map(({ comment }) => comment.authorId),
    greeting: recipient.name ? `Hello ${recipient.name},` : 'Hello,',
    paragraphs: [items.length === 1 ? `There is a new reply on “${title}”.` : `There are ${items.length} new replies on “${title}”.`],
    items: shown.map(({ reason, comment }) => ({
      heading: `${comment.authorName} ${reason === 'reply' ? 'replied to your comment' : 'answered in your thread'}:`,
      text: commentText(comment),
      url: permalink(config.origin, comment),
      label: 'Read it and reply',
    })),
    ...(more.length > 0 ? { closing: more, action: { label: 'Read the whole thread', url: permalink(config.origin, { slug: first.comment.slug, id: rootId }) } } : {}),
    footer: ['You get this because someone replied to your comment or in a thread you started.'],
    ...unsubscribeParts(config, recipient.id, `thread:${rootId}`, 'this thread'),
  };
}

export type NotifyResult = { mailed: number; dropped: number };

/** Whether the reader wants and may get reply mail at all. */
const wantsReplies = (recipient: Recipient | undefined): recipient is Recipient & { email: string } =>
  !!recipient && recipient.verified && recipient.notifyReplies && !!recipient.email;

/**
 * Lets other work run between the pass's transactions (the runner's messages, the sender's turn
 * when the pass runs on the server's thread, as in the tests).
 */
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

const DEFERRALS_PER_TRANSACTION = 25;

function add(result: NotifyResult, step: NotifyResult): void {
  result.mailed += step.mailed;
  result.dropped += step.dropped;
}

async function readerBatches(db: Db, now: number, config: NotifyConfig, result: NotifyResult): Promise<void> {
  const threads = pendingReaderThreads(now, db).map((thread) => ({ ...thread, at: dueAt(thread.firstAt, thread.lastMailedAt, config) }));
  const waiting = threads.filter((thread) => now < thread.at);
  // Not due yet: looked at again when they are, not at every pass until then.
  // A few at a time: a request's write waits for the lock no longer than one short transaction.
  for (let from = 0; from < waiting.length; from += DEFERRALS_PER_TRANSACTION) {
    db.transaction((tx) => {
      for (const { recipientId, rootId, at } of waiting.slice(from, from + DEFERRALS_PER_TRANSACTION)) deferReaderThread(tx, recipientId, rootId, at, now);
    });
    await yieldToRequests();
  }
  for (const { recipientId, rootId, at } of threads) {
    if (now < at) continue;
    add(result, readThenWrite(db, (tx) => mailThread(tx, recipientId, rootId, now, config)));
    await yieldToRequests();
  }
}

/** One reader's message about one thread, from its pending events, checked again now. */
function mailThread(tx: Tx, recipientId: string, rootId: number, now: number, config: NotifyConfig): NotifyResult {
  const at = new Date(now);
  const events = pendingReaderEvents(recipientId, rootId, tx);
  const recipient = recipientsById([recipientId], tx).get(recipientId);
  const found = notifiedComments(
    events.map((event) => event.commentId),
    now,
    tx,
  );
  const items = wantsReplies(recipient) && !isThreadMuted(recipientId, rootId, tx)
    ? events.flatMap((event) => {
        const comment = found.get(event.commentId);
        return comment?.mailable ? [{ reason: event.reason, comment }] : [];
      })
    : [];
  const mail = items.length > 0 && wantsReplies(recipient) ? prepareMail(replyMail(recipient, rootId, items, config)) : null;
  // The writes, after the composing (readThenWrite).
  markEventsDone(
    tx,
    events.map((event) => event.id),
    at,
  );
  if (!mail) return { mailed: 0, dropped: events.length };
  enqueueMail(tx, mail);
  setNotifyState(tx, recipientId, `thread:${rootId}`, at);
  return { mailed: 1, dropped: events.length - items.length };
}

type DiscussionNews = { userId: string; articleId: number; firstNewAt: number; lastMailedAt: number | null; late: { id: number; commentId: number }[] };

/**
 * Each subscriber with news in a discussion: comments past their cursor, and held comments
 * approved after the cursor had passed them ('discussion' events).
 */
function discussionNews(db: Db): DiscussionNews[] {
  const byKey = new Map<string, DiscussionNews>();
  const key = (userId: string, articleId: number) => `${userId}\u0000${articleId}`;
  for (const sub of subscriptionsWithNews(db)) byKey.set(key(sub.userId, sub.articleId), { ...sub, late: [] });
  for (const event of pendingDiscussionEvents(db)) {
    const at = event.createdAt.getTime();
    const found = byKey.get(key(event.userId, event.articleId));
    if (found) {
      found.firstNewAt = Math.min(found.firstNewAt, at);
      found.late.push(event);
    } else {
      const lastMailedAt = notifyStateOf(event.userId, `article:${event.articleId}`, db)?.lastMailedAt.getTime() ?? null;
      byKey.set(key(event.userId, event.articleId), { userId: event.userId, articleId: event.articleId, firstNewAt: at, lastMailedAt, late: [event] });
    }
  }
  return [...byKey.values()];
}

async function discussionBatches(db: Db, now: number, config: NotifyConfig, result: NotifyResult): Promise<void> {
  for (const sub of discussionNews(db)) {
    if (now < dueAt(sub.firstNewAt, sub.lastMailedAt, config)) continue;
    add(result, readThenWrite(db, (tx) => mailDiscussion(tx, sub, now, config)));
    await yieldToRequests();
  }
}

/** One subscriber's message about one discussion: the comments past their cursor and the late ones. */
function mailDiscussion(tx: Tx, sub: DiscussionNews, now: number, config: NotifyConfig): NotifyResult {
  const at = new Date(now);
  const scope = `article:${sub.articleId}`;
  const lateEvents = sub.late.map((event) => event.id);
  // Unsubscribed since the approval: the cursor is gone, and so is the reason to mail.
  const cursor = subscriptionCursor(sub.userId, sub.articleId, tx);
  if (cursor === null) {
    markEventsDone(tx, lateEvents, at);
    return { mailed: 0, dropped: 0 };
  }
  const late = sub.late.map((event) => event.commentId);
  const { ids, newest } = newDiscussionComments(sub.userId, sub.articleId, cursor, late, tx);
  const recipient = recipientsById([sub.userId], tx).get(sub.userId);
  const found = notifiedComments(ids, now, tx);
  const items = ids.flatMap((id) => {
    const comment = found.get(id);
    return comment?.mailable ? [comment] : [];
  });
  let mail = null;
  if (items.length > 0 && recipient?.verified && recipient.email) {
    const title = items[0]!.articleTitle;
    const { shown, more } = firstItems(items);
    mail = prepareMail({
      kind: 'discussion',
      to: recipient.email,
      mentions: items.map((comment) => comment.authorId),
      subject: items.length === 1 ? `New comment on “${title}”` : `${items.length} new comments on “${title}”`,
      greeting: recipient.name ? `Hello ${recipient.name},` : 'Hello,',
      paragraphs: [`New in the discussion of “${title}”, which you follow:`],
      items: shown.map((comment) => ({
        heading: `${comment.authorName} wrote:`,
        text: commentText(comment),
        url: permalink(config.origin, comment),
        label: 'Read it and reply',
      })),
      ...(more.length > 0 ? { closing: more, action: { label: 'Read the discussion', url: `${config.origin}/articles/${items[0]!.slug}#comments` } } : {}),
      footer: ['You get this because you asked to be emailed about new comments in this discussion.'],
      ...unsubscribeParts(config, recipient.id, scope as UnsubscribeScope, 'this discussion'),
    });
  }
  // The writes, after the composing (readThenWrite).
  markEventsDone(tx, lateEvents, at);
  moveSubscriptionCursor(tx, sub.userId, sub.articleId, newest);
  if (!mail) return { mailed: 0, dropped: 0 };
  enqueueMail(tx, mail);
  setNotifyState(tx, sub.userId, scope, at);
  return { mailed: 1, dropped: 0 };
}

/** Moderators: held comments and comments reports hid, since their last digest. */
function moderatorDigests(db: Db, now: number, config: NotifyConfig, result: NotifyResult): void {
  const moderators = digestCandidates(config.adminEmails, db).filter(
    (user) => user.notifyReplies && effectiveRole({ role: user.role, email: user.email, emailVerified: user.verified }) !== 'reader',
  );
  const newest = newestModeratorEventId(db);
  let covered = newest;
  for (const moderator of moderators) {
    const state = notifyStateOf(moderator.id, 'digest', db);
    const events = moderatorEventsAfter(state?.cursor ?? 0, db);
    if (events.length === 0) continue;
    covered = Math.min(covered, state?.cursor ?? 0);
    const last = state ? state.lastMailedAt.getTime() : null;
    if (now < dueAt(events[0]!.createdAt.getTime(), last, config)) continue;
    const waiting = events.filter((event) => event.stillWaiting);
    const cursor = events.at(-1)!.id;
    add(
      result,
      readThenWrite(db, (tx) => {
        const found = notifiedComments(
          waiting.map((event) => event.commentId),
          now,
          tx,
        );
        const items = waiting.flatMap((event) => {
          const comment = found.get(event.commentId);
          return comment ? [{ reason: event.reason, comment }] : [];
        });
        if (items.length === 0 || !moderator.email) {
          setNotifyState(tx, moderator.id, 'digest', state?.lastMailedAt ?? new Date(0), cursor);
          return { mailed: 0, dropped: 0 };
        }
        const listed = firstItems(items);
        const mail = prepareMail({
          kind: 'digest',
          to: moderator.email,
          mentions: items.map(({ comment }) => comment.authorId),
          subject: items.length === 1 ? '1 comment waits for a moderator' : `${items.length} comments wait for a moderator`,
          greeting: moderator.name ? `Hello ${moderator.name},` : 'Hello,',
          paragraphs: ['These comments need a moderator’s decision:'],
          closing: listed.more,
          items: listed.shown.map(({ reason, comment }) => ({
            heading: `${reason === 'held' ? 'Held for review' : 'Hidden by readers’ reports'}: ${comment.authorName} on “${comment.articleTitle}”`,
            text: commentText(comment),
            url: `${config.origin}/moderation`,
            label: 'Open the moderation queue',
          })),
          action: { label: 'Open the moderation queue', url: `${config.origin}/moderation` },
          footer: ['You get this because you moderate comments on this site.'],
          ...unsubscribeParts(config, moderator.id, 'digest', 'these notifications'),
        });
        // The writes, after the composing (readThenWrite).
        enqueueMail(tx, mail);
        setNotifyState(tx, moderator.id, 'digest', new Date(now), cursor);
        return { mailed: 1, dropped: 0 };
      }),
    );
  }
  // A moderator event every digest has passed is done (and leaves the pending index).
  if (covered > 0) db.transaction((tx) => finishModeratorEvents(tx, covered, new Date(now)));
}

/** One pass of the notify job. */
export async function runNotifyPass(db: Db, now: number, config: NotifyConfig = notifyConfig()): Promise<NotifyResult> {
  const result: NotifyResult = { mailed: 0, dropped: 0 };
  await readerBatches(db, now, config, result);
  await discussionBatches(db, now, config, result);
  moderatorDigests(db, now, config, result);
  return result;
}
