/*
 * The one way the site sends mail: queueMail() inside the transaction of the event that causes
 * it (a reply, an approval, a reset request). The message is composed and stored with the event,
 * so both commit or neither does; the sender (outbox.ts, the job runner's "mail" job) delivers
 * it moments later, so the request never waits on SMTP and an SMTP outage loses nothing.
 */
import type { Db, Tx } from '@/db/index';
import { enqueueMail } from '@/db/queries/mail';
import type { MailKind, MailRow } from '@/db/schema';
import { wakeJob } from '../ops/jobs';
import { composeMail, type MailContent } from './compose';
import { MAIL_JOB } from './outbox';

export type { MailContent } from './compose';
export { excerpt } from './compose';

export type QueuedMail = MailContent & {
  kind: MailKind;
  /** One address, as stored on the account. */
  to: string;
  subject: string;
  /** Extra headers: List-Unsubscribe, In-Reply-To, References ... (no line breaks). */
  headers?: Record<string, string>;
  /** Not before then (a digest that gathers replies); at once when not given. */
  sendAfter?: Date;
};

const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/;

/** One bare address that can go in a To header as it is (no name, no list, nothing to quote). */
export const isMailAddress = (value: string): boolean => ADDRESS.test(value);

/**
 * Composes `mail` (both parts, every string escaped, the site's name, a new Message-ID) and adds
 * it to the outbox through `tx`, the caller's transaction handle; then wakes the sender, which
 * runs after this synchronous transaction has committed (or finds nothing if it rolled back).
 * Throws, rolling the caller's transaction back, on a caller's bug: no single address, a link
 * that is not http(s), a header that would break the message.
 */
export function queueMail(tx: Tx | Db, mail: QueuedMail): MailRow {
  if (!isMailAddress(mail.to)) throw new Error('a message goes to exactly one address');
  const { kind, to, subject, headers, sendAfter, ...content } = mail;
  const composed = composeMail(subject, content, headers);
  const row = enqueueMail(tx, { kind, to, ...composed, sendAfter });
  wakeMailSender();
  return row;
}

/** Has the sender look at the outbox now rather than at its next tick (after an admin's retry too). */
export function wakeMailSender(): void {
  wakeJob(MAIL_JOB);
}
