/*
 * The outbox's sender: one pass delivers the due messages of table mail_outbox, one at a time.
 * The job runner (app/_lib/ops/jobs.ts, job "mail") runs a pass every few seconds and right after
 * a message is queued (app/_lib/mail/queue.ts), so no request ever waits on SMTP.
 *
 * For each message: claim it ('sending', committed), hand it to the transport, and mark it
 * 'sent' as soon as the server accepted it; on an error, back to 'queued' after a doubling wait,
 * or 'failed' after MAIL_MAX_ATTEMPTS. db/queries/mail.ts says what a crash between handing over
 * and marking sent costs (at worst the same message, same Message-ID, once more; never a loss).
 */
import type { Db } from '@/db/index';
import { claimDue, markFailed, markRetry, markSent, recoverStale } from '@/db/queries/mail';
import type { MailRow } from '@/db/schema';
import { ownerGone, processOwner } from '../ops/process-owner';
import { logger } from '../ops/logger';
import { metrics } from '../ops/metrics';
import { mailFrom, type MailTransport } from './transport';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** The job's name and interval: how long a retry that fell due waits at most for its pass. */
export const MAIL_JOB = 'mail';
export const MAIL_INTERVAL_MS = 5 * SECOND;

/**
 * A claim older than this is a sender that died mid-delivery. Far longer than one delivery can
 * take (transport.ts's SMTP timeouts), since each message is claimed just before it is sent.
 */
export const SENDING_TIMEOUT_MS = 10 * MINUTE;

/** The wait after a failed attempt: 30 s, doubling, at most an hour. */
const RETRY_BASE_MS = 30 * SECOND;
const RETRY_MAX_MS = 60 * MINUTE;

/** One pass stops after this many messages or this long, so other jobs get their turn. */
const PASS_LIMIT = 100;
const PASS_BUDGET_MS = MINUTE;

const ERROR_MAX = 1000;

/** The wait before the next try after the `attempts`-th attempt failed. */
export function mailRetryDelayMs(attempts: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS);
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, ERROR_MAX) || 'failed without a message';
}

/**
 * An error about this one message (a recipient or its content refused): the next message may go
 * through. Anything else (no connection, TLS, authentication) would fail the rest alike, so the
 * pass stops there and they wait, unclaimed, for the next one.
 */
function aboutThisMessage(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'EENVELOPE' || code === 'EMESSAGE';
}

export type SendOptions = {
  db: Db;
  transport: MailTransport;
  maxAttempts: number;
  /** The clock claims, retries and staleness are measured by (tests move it). */
  now?: () => number;
  /** Who claims; this process (processOwner()) unless a test plays another sender. */
  owner?: string;
  /**
   * The server is stopping: claim nothing more. The delivery in progress finishes and is
   * recorded, so a graceful stop never leaves a message in doubt.
   */
  stopping?: () => boolean;
  /**
   * Counts a message delivered or given up on, for the metrics: this process's counters unless
   * the pass runs on the job thread (app/_lib/ops/job-thread.ts), which sends its tallies back.
   */
  count?: (outcome: MailOutcome, kind: MailRow['kind']) => void;
};

export type MailOutcome = 'sent' | 'failed';

/** The metrics' counters, by outcome. */
export function countMail(outcome: MailOutcome, kind: MailRow['kind']): void {
  (outcome === 'sent' ? metrics().mailSent : metrics().mailFailed).inc({ kind });
}

export type SendSummary = { sent: number; retried: number; failed: number; recovered: number };

/** What goes on the wire for a row: From from the settings now, the rest as stored at enqueue. */
function outgoing(row: MailRow) {
  return {
    from: mailFrom(),
    to: row.toAddress,
    subject: row.subject,
    text: row.textBody,
    html: row.htmlBody,
    messageId: row.messageId,
    // The time of the event, the same on a retry: the copies of a message stay identical.
    date: row.createdAt,
    headers: row.headers,
  };
}

/** One pass: recover interrupted deliveries, then deliver due messages until none is left. */
export async function sendDueMail({ db, transport, maxAttempts, now = Date.now, owner = processOwner(), stopping = () => false, count = countMail }: SendOptions): Promise<SendSummary> {
  const log = logger();
  const summary: SendSummary = { sent: 0, retried: 0, failed: 0, recovered: 0 };
  const recovered = recoverStale({ now: now(), timeoutMs: SENDING_TIMEOUT_MS, maxAttempts, ownerGone: (claimant) => ownerGone(claimant, owner) }, db);
  for (const row of recovered) {
    summary.recovered += 1;
    if (row.status === 'failed') {
      summary.failed += 1;
      count('failed', row.kind);
      log.error({ component: 'mail', mailId: row.id, kind: row.kind }, `mail ${row.id} was interrupted while sending on its last attempt and is marked failed`);
    } else {
      log.warn({ component: 'mail', mailId: row.id, kind: row.kind }, `mail ${row.id} was interrupted while sending; it is sent again with the same Message-ID`);
    }
  }

  const started = Date.now();
  for (let n = 0; n < PASS_LIMIT && Date.now() - started < PASS_BUDGET_MS && !stopping(); n += 1) {
    const [row] = claimDue(now(), owner, 1, db);
    if (!row) break;
    try {
      await transport.send(outgoing(row));
    } catch (thrown) {
      const error = oneLine(thrown);
      const context = { component: 'mail', mailId: row.id, kind: row.kind, attempts: row.attempts };
      if (row.attempts >= maxAttempts) {
        markFailed(row.id, owner, error, db);
        summary.failed += 1;
        count('failed', row.kind);
        log.error(context, `mail ${row.id} failed on its last attempt (${row.attempts}) and is given up: ${error}`);
      } else {
        const waitMs = mailRetryDelayMs(row.attempts);
        markRetry(row.id, owner, error, now() + waitMs, db);
        summary.retried += 1;
        log.warn(context, `mail ${row.id} not delivered (attempt ${row.attempts} of ${maxAttempts}, next in ${Math.round(waitMs / SECOND)} s): ${error}`);
      }
      if (aboutThisMessage(thrown)) continue;
      break;
    }
    // Right after the server's acceptance, before anything else can run: the window in which a
    // crash would leave a delivered message looking undelivered is this one synchronous write.
    markSent(row.id, now(), db);
    summary.sent += 1;
    count('sent', row.kind);
    log.info({ component: 'mail', mailId: row.id, kind: row.kind, attempts: row.attempts }, `mail ${row.id} (${row.kind}) delivered`);
  }
  return summary;
}
