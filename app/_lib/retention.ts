import 'server-only';
import type { Db } from '@/db/index';
import { DRAFT_MAX_AGE_MS } from '@/db/queries/comment-writes';
import { EMAIL_TOKEN_KEEP_MS, purgeAddressKeys, purgeCommentDrafts, purgeRejectedComments } from '@/db/queries/purges';
import { SESSION_MAX_AGE_SECONDS } from './auth/sessions';
import { settings } from './config.mjs';
import { UNDO_MS } from './limits';
import { ADDRESS_LIMITS } from './rate-limit';

/*
 * How long the site keeps what it keeps, in one object: the scheduled jobs delete by it
 * (app/_lib/ops/jobs.ts) and the privacy page (/privacy) says it, so the page cannot promise a
 * period the jobs do not keep.
 */

const DAY = 24 * 60 * 60 * 1000;

export type Retention = {
  /** A comment a moderator rejected keeps its text this long after the decision (RETAIN_REJECTED_DAYS). */
  rejectedCommentMs: number;
  /** Rate-limit counters keyed by a client address are kept at most this long (RETAIN_IP_DAYS). */
  addressKeyMs: number;
  /** The limits whose keys hold a client address. */
  addressLimits: readonly string[];
  /** A signed-out reader's draft, kept while they sign in: offered back and then deleted after this. */
  draftMs: number;
  /** Delivered mail stays in the outbox this long, for the admin page and tracing a Message-ID. */
  sentMailMs: number;
  /** A sign-in (browser, network, times) unused this long is deleted: its cookie has expired. */
  sessionIdleMs: number;
  /** A reply or discussion event (a reader, a comment) stays this long after the notify job handled it. */
  handledNotificationMs: number;
  /** A mailed link's row (with the address it went to) stays this long after the link expired. */
  mailedLinkAfterExpiryMs: number;
  /** What an author's delete removed, kept this long for "Undo". */
  undoMs: number;
};

export function retention(config: { RETAIN_REJECTED_DAYS: number; RETAIN_IP_DAYS: number } = settings()): Retention {
  return {
    rejectedCommentMs: config.RETAIN_REJECTED_DAYS * DAY,
    addressKeyMs: config.RETAIN_IP_DAYS * DAY,
    addressLimits: Object.values(ADDRESS_LIMITS),
    draftMs: DRAFT_MAX_AGE_MS,
    sentMailMs: 30 * DAY,
    handledNotificationMs: 30 * DAY,
    sessionIdleMs: SESSION_MAX_AGE_SECONDS * 1000,
    mailedLinkAfterExpiryMs: EMAIL_TOKEN_KEEP_MS,
    undoMs: UNDO_MS,
  };
}

export type RetentionCounts = { rejectedComments: number; addressKeys: number; drafts: number };

/** The retention job's work: each purge by the periods in `kept`; how many of each went. */
export function purgeExpired(kept: Retention, now: number, db: Db): RetentionCounts {
  return {
    rejectedComments: purgeRejectedComments(kept.rejectedCommentMs, now, db),
    addressKeys: purgeAddressKeys(kept.addressLimits, kept.addressKeyMs, now, db),
    drafts: purgeCommentDrafts(now, db, kept.draftMs),
  };
}

/** A period as the privacy page and the log say it: "365 days", "1 day", "8 hours", "30 seconds". */
export function duration(ms: number): string {
  const units: [number, string][] = [
    [DAY, 'day'],
    [60 * 60 * 1000, 'hour'],
    [60 * 1000, 'minute'],
    [1000, 'second'],
  ];
  const [size, unit] = units.find(([size]) => ms >= size && ms % size === 0) ?? units.find(([size]) => ms >= size) ?? [1000, 'second'];
  const count = Math.round(ms / size);
  return `${count.toLocaleString('en-US')} ${unit}${count === 1 ? '' : 's'}`;
}
