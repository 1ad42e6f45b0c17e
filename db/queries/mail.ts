import 'server-only';
import { and, asc, desc, eq, inArray, lte, ne, sql } from 'drizzle-orm';
import { getDb, preparedQueryOn, type Db, type Tx } from '../index';
import { mailMentions, mailOutbox, type MailKind, type MailRow, type MailStatus } from '../schema';

/*
 * The mail outbox's rows (app/_lib/mail/ composes, queues and sends). Every function but
 * enqueueMail takes the connection to use, so a test can play two server processes with two
 * connections on one file; enqueueMail takes the caller's transaction instead, so the event and
 * its mail commit or roll back together.
 *
 * Delivery is at least once, with duplicates kept as rare as a database allows. A row is claimed
 * ('sending', committed) before it is handed to SMTP and marked 'sent' in the same tick as the
 * server's acceptance. A process killed in between leaves it 'sending' with an unknown outcome:
 * recoverStale() sends it again, with the same Message-ID (and, for the .eml writer, into the same
 * file), rather than drop it. So a reader may, after a crash in that window of a few
 * milliseconds, get one message twice, identical down to its Message-ID, which many mail
 * systems then show once; a message is never lost and never sent twice otherwise.
 */

export type NewMail = {
  kind: MailKind;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  /** `<unique@host>`, made by the caller (app/_lib/mail/compose.ts) and kept for every retry. */
  messageId: string;
  /** The first attempt waits until then (a digest gathering replies); now when not given. */
  sendAfter?: Date;
  /** Readers whose words or name the message carries (mail_mentions): deleting one's account deletes it. */
  mentions?: string[];
};

/*
 * The notify job stores hundreds of messages a pass, each in a short transaction of its own:
 * compiled once per connection rather than built and compiled per message, which was a third of
 * the job's time per message and lengthened the write that other writers wait for.
 */
const insertMail = preparedQueryOn((db) =>
  db
    .insert(mailOutbox)
    .values({
      kind: sql.placeholder('kind'),
      toAddress: sql.placeholder('to'),
      subject: sql.placeholder('subject'),
      textBody: sql.placeholder('text'),
      htmlBody: sql.placeholder('html'),
      headers: sql.placeholder('headers'),
      messageId: sql.placeholder('messageId'),
      // The column's default (now) unless the message waits (sendAfter, in ms).
      nextAttemptAt: sql`coalesce(${sql.placeholder('sendAfter')}, unixepoch('subsec') * 1000)`,
    })
    .returning()
    .prepare(),
);
const insertMention = preparedQueryOn((db) =>
  db
    .insert(mailMentions)
    .values({ mailId: sql.placeholder('mailId'), userId: sql.placeholder('userId') })
    .prepare(),
);

/** Adds a message to the outbox inside the caller's transaction; it is sent once that commits. */
export function enqueueMail(tx: Tx | Db, mail: NewMail): MailRow {
  const row = insertMail(tx).get({
    kind: mail.kind,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: mail.headers ?? {},
    messageId: mail.messageId,
    sendAfter: mail.sendAfter?.getTime() ?? null,
  })!;
  for (const userId of new Set(mail.mentions ?? [])) insertMention(tx).run({ mailId: row.id, userId });
  return row;
}

/**
 * Moves up to `limit` due 'queued' rows to 'sending' for `owner`, counting the attempt, and
 * returns them, oldest due first. One statement picks and claims: SQLite runs one write at a
 * time, so two senders (two processes, each with its own connection) never claim the same row.
 */
export function claimDue(now: number, owner: string, limit: number, db: Db = getDb()): MailRow[] {
  const claimed = claimRows(db).all({ at: now, owner, limit });
  return claimed.sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.id - b.id);
}

// The sender claims and settles each message on its own (a write for each): compiled once per connection, like insertMail.
const claimRows = preparedQueryOn((db) => {
  const due = db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.status, 'queued'), lte(mailOutbox.nextAttemptAt, sql.placeholder('at'))))
    .orderBy(asc(mailOutbox.nextAttemptAt), asc(mailOutbox.id))
    .limit(sql.placeholder('limit'));
  return db
    .update(mailOutbox)
    .set({ status: 'sending', claimedBy: sql`${sql.placeholder('owner')}`, claimedAt: sql`${sql.placeholder('at')}`, attempts: sql`${mailOutbox.attempts} + 1` })
    .where(and(inArray(mailOutbox.id, due), eq(mailOutbox.status, 'queued')))
    .returning()
    .prepare();
});

const markRowSent = preparedQueryOn((db) =>
  db
    .update(mailOutbox)
    .set({ status: 'sent', sentAt: sql`${sql.placeholder('at')}`, lastError: null })
    .where(and(eq(mailOutbox.id, sql.placeholder('id')), ne(mailOutbox.status, 'sent')))
    .prepare(),
);

/**
 * Records that the server accepted the message. Whatever the row's state: even a row recovered
 * as stale (or given up on) in the meantime was in fact delivered, and saying so stops a second
 * copy that has not left yet. False when it was already marked sent.
 */
export function markSent(id: number, now: number, db: Db = getDb()): boolean {
  return markRowSent(db).run({ id, at: now }).changes === 1;
}

/** Only the claim's owner may settle a failed attempt: a sender that lost its claim changes nothing. */
const heldBy = (id: number, owner: string) => and(eq(mailOutbox.id, id), eq(mailOutbox.status, 'sending'), eq(mailOutbox.claimedBy, owner));

/** A failed attempt with attempts left: back to 'queued', due again at `nextAt`. */
export function markRetry(id: number, owner: string, error: string, nextAt: number, db: Db = getDb()): boolean {
  const { changes } = db
    .update(mailOutbox)
    .set({ status: 'queued', nextAttemptAt: new Date(nextAt), lastError: error, claimedBy: null, claimedAt: null })
    .where(heldBy(id, owner))
    .run();
  return changes === 1;
}

/** The last attempt failed too: the message is given up on and listed for admins. */
export function markFailed(id: number, owner: string, error: string, db: Db = getDb()): boolean {
  const { changes } = db.update(mailOutbox).set({ status: 'failed', lastError: error }).where(heldBy(id, owner)).run();
  return changes === 1;
}

export type RecoverStale = {
  now: number;
  /** A claim older than this is taken as dead, whoever holds it (longer than any one delivery). */
  timeoutMs: number;
  maxAttempts: number;
  /** Whether a claim's owner is known to be gone (a process on this host that no longer runs). */
  ownerGone?: (owner: string) => boolean;
};

export const INTERRUPTED = 'the sender stopped while sending: delivery unknown, so it is sent again with the same Message-ID';

/**
 * Rows left 'sending' by a sender that died mid-delivery (claimed longer than `timeoutMs` ago,
 * or by an owner known to be gone): back to 'queued', due now, or 'failed' when that was their
 * last attempt. Each row is changed only if its claim is still the one that was read, so a
 * sender that settles it at the same moment wins. Returns the rows changed.
 */
export function recoverStale({ now, timeoutMs, maxAttempts, ownerGone = () => false }: RecoverStale, db: Db = getDb()): MailRow[] {
  return db.transaction((tx) => {
    const stuck = tx.select().from(mailOutbox).where(eq(mailOutbox.status, 'sending')).all();
    const recovered: MailRow[] = [];
    for (const row of stuck) {
      const claimedAt = row.claimedAt?.getTime() ?? 0;
      if (claimedAt > now - timeoutMs && !(row.claimedBy && ownerGone(row.claimedBy))) continue;
      const last = row.attempts >= maxAttempts;
      const changed = tx
        .update(mailOutbox)
        .set(
          last
            ? { status: 'failed', lastError: INTERRUPTED }
            : { status: 'queued', nextAttemptAt: new Date(now), lastError: INTERRUPTED, claimedBy: null, claimedAt: null },
        )
        .where(
          and(
            eq(mailOutbox.id, row.id),
            eq(mailOutbox.status, 'sending'),
            row.claimedBy === null ? sql`${mailOutbox.claimedBy} is null` : eq(mailOutbox.claimedBy, row.claimedBy),
          ),
        )
        .returning()
        .get();
      if (changed) recovered.push(changed);
    }
    return recovered;
  });
}

/** Messages given up on, newest first, for the admins. */
export function listFailedMail(limit = 100, db: Db = getDb()): MailRow[] {
  return db.select().from(mailOutbox).where(eq(mailOutbox.status, 'failed')).orderBy(desc(mailOutbox.id)).limit(limit).all();
}

/** An admin's "send again" for a failed message: queued, due now, with its attempts reset. */
export function retryFailedMail(id: number, now: number, db: Db = getDb()): boolean {
  const { changes } = db
    .update(mailOutbox)
    .set({ status: 'queued', attempts: 0, nextAttemptAt: new Date(now), claimedBy: null, claimedAt: null })
    .where(and(eq(mailOutbox.id, id), eq(mailOutbox.status, 'failed')))
    .run();
  return changes === 1;
}

/** "Send all again": every failed message queued, due now, attempts reset. Returns how many. */
export function retryAllFailedMail(now: number, db: Db = getDb()): number {
  return db
    .update(mailOutbox)
    .set({ status: 'queued', attempts: 0, nextAttemptAt: new Date(now), claimedBy: null, claimedAt: null })
    .where(eq(mailOutbox.status, 'failed'))
    .run().changes;
}

/** How many rows are in each state (the metrics' gauge, the admin page). */
export function mailCounts(db: Db = getDb()): Record<MailStatus, number> {
  const counts: Record<MailStatus, number> = { queued: 0, sending: 0, sent: 0, failed: 0 };
  const rows = db
    .select({ status: mailOutbox.status, count: sql<number>`count(*)` })
    .from(mailOutbox)
    .groupBy(mailOutbox.status)
    .all();
  for (const row of rows) counts[row.status] = row.count;
  return counts;
}

/** Messages not yet delivered ('queued' or 'sending'), from the status index: the metrics' gauge. */
export function waitingMailCount(db: Db = getDb()): number {
  const row = db
    .select({ count: sql<number>`count(*)` })
    .from(mailOutbox)
    .where(inArray(mailOutbox.status, ['queued', 'sending']))
    .get();
  return row?.count ?? 0;
}

/** One row by its Message-ID (tests, and the admin page's link from a log line). */
export function mailByMessageId(messageId: string, db: Db = getDb()): MailRow | undefined {
  return db.select().from(mailOutbox).where(eq(mailOutbox.messageId, messageId)).get();
}
