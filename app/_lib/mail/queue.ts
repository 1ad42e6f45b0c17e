/*
 * The one way the site sends mail: queueMail() inside the transaction of the event that causes
 * it (a reply, an approval, a reset request). The message is composed and stored with the event,
 * so both commit or neither does; the sender (outbox.ts, the job runner's "mail" job) delivers
 * it moments later, so the request never waits on SMTP and an SMTP outage loses nothing.
 */
import type { Db, Tx } from '@/db/index';
import type { MailRow } from '@/db/schema';
import { wakeJob } from '../ops/jobs';
import { MAIL_JOB } from './outbox';
import { storeMail, type QueuedMail } from './store';

export type { MailContent } from './compose';
export type { QueuedMail } from './store';
export { isMailAddress } from './store';
export { excerpt } from './compose';

/**
 * Composes `mail` (both parts, every string escaped, the site's name, a new Message-ID) and adds
 * it to the outbox through `tx`, the caller's transaction handle; then wakes the sender, which
 * runs after this synchronous transaction has committed (or finds nothing if it rolled back).
 * Throws, rolling the caller's transaction back, on a caller's bug: no single address, a link
 * that is not http(s), a header that would break the message.
 */
export function queueMail(tx: Tx | Db, mail: QueuedMail): MailRow {
  const row = storeMail(tx, mail);
  wakeMailSender();
  return row;
}

/** Has the sender look at the outbox now rather than at its next tick (after an admin's retry too). */
export function wakeMailSender(): void {
  wakeJob(MAIL_JOB);
}
