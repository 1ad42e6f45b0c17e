import 'server-only';
import { z } from 'zod';
import { listFailedMail, mailCounts, retryAllFailedMail, retryFailedMail } from '@/db/queries/mail';
import type { UserSummary } from '@/db/queries/users';
import type { MailStatus } from '@/db/schema';
import { refuse, type Result } from '../http/errors';
import { check } from '../permissions';
import { wakeMailSender } from './queue';

/*
 * The admins' view of the outbox: how much mail is in each state, and the messages given up on
 * after MAIL_MAX_ATTEMPTS, which an admin can send again once the cause (a wrong SMTP password,
 * a full mailbox) is fixed. Admin only: the list shows readers' addresses and SMTP's errors.
 */

export type FailedMail = { id: number; kind: string; to: string; subject: string; attempts: number; lastError: string | null; createdAt: Date };

export function readOutbox(viewer: UserSummary | null): Result<{ counts: Record<MailStatus, number>; failed: FailedMail[] }> {
  const refused = check(viewer, 'manageMail');
  if (refused) return refused;
  const failed = listFailedMail(100).map((row) => ({
    id: row.id,
    kind: row.kind,
    to: row.toAddress,
    subject: row.subject,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt,
  }));
  return { ok: true, value: { counts: mailCounts(), failed } };
}

const retryInput = z.object({ id: z.union([z.literal('all'), z.coerce.number().int().positive()]) });

/** "Send again" for one failed message (`id`), or for all of them (`id: 'all'`). */
export function retryFailed(viewer: UserSummary | null, input: unknown): Result<{ queued: number }> {
  const refused = check(viewer, 'manageMail');
  if (refused) return refused;
  const parsed = retryInput.safeParse(input);
  if (!parsed.success) return refuse('invalid:form', undefined, 'Choose a message to send again.');
  const now = Date.now();
  const queued = parsed.data.id === 'all' ? retryAllFailedMail(now) : retryFailedMail(parsed.data.id, now) ? 1 : 0;
  // Another admin sent it again already, or it was delivered meanwhile: say so, change nothing.
  if (queued === 0) return refuse('conflict:mail_changed');
  wakeMailSender();
  return { ok: true, value: { queued } };
}
