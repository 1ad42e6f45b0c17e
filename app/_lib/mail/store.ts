import type { Db, Tx } from '@/db/index';
import { enqueueMail, type NewMail } from '@/db/queries/mail';
import type { MailKind, MailRow } from '@/db/schema';
import { composeMail, type MailContent } from './compose';

export type QueuedMail = MailContent & {
  kind: MailKind;
  /** One address, as stored on the account. */
  to: string;
  subject: string;
  /** Extra headers: List-Unsubscribe, In-Reply-To, References ... (no line breaks). */
  headers?: Record<string, string>;
  /** Not before then (a digest that gathers replies); at once when not given. */
  sendAfter?: Date;
  /** Readers whose words or name it carries: their account's deletion deletes the message. */
  mentions?: string[];
};

const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/;

/** One bare address that can go in a To header as it is (no name, no list, nothing to quote). */
export const isMailAddress = (value: string): boolean => ADDRESS.test(value);

/**
 * A message composed, not stored yet: the notify job composes before its transaction writes
 * anything (app/_lib/notify/notify.ts), then stores it with enqueueMail.
 */
export function prepareMail(mail: QueuedMail): NewMail {
  if (!isMailAddress(mail.to)) throw new Error('a message goes to exactly one address');
  const { kind, to, subject, headers, sendAfter, mentions, ...content } = mail;
  return { kind, to, ...composeMail(subject, content, headers), sendAfter, mentions };
}

/** queueMail() without waking the sender (queue.ts does that; importing the runner here would make an import cycle). */
export function storeMail(tx: Tx | Db, mail: QueuedMail): MailRow {
  return enqueueMail(tx, prepareMail(mail));
}
