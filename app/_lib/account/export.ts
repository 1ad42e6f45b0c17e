import 'server-only';
import type { UserSummary } from '@/db/queries/users';
import {
  exportAccount,
  exportCommentPage,
  exportDraft,
  exportProviders,
  exportReportPage,
  exportStances,
  exportSubscriptions,
  exportVotePage,
} from '@/db/queries/account-data';
import { articlePath } from '../content/site';
import { refuse, type Result } from '../http/errors';
import { rateLimits } from '../limit-settings';
import { check } from '../permissions';
import { takeLimit } from '../rate-limit';
import { tryAgainMessage } from '../auth/sign-in-limits';

/*
 * "Download my data": one JSON file of everything stored about the reader, in the format
 * docs/data-export.md describes. Written as it is read: the comments, votes and reports are
 * read a page at a time (keyset on the id), and each page is handed to the response before the
 * next is read, so a reader with 10,000 comments never has them all in memory at once.
 */

export const EXPORT_FORMAT = 'reader-data-export';
export const EXPORT_VERSION = 1;
/** Rows read per query; each page is one chunk of the response. */
export const EXPORT_PAGE_SIZE = 500;

/** Pages of rows after a keyset cursor, until a short page. */
function* paged<T>(read: (after: number, size: number) => T[], key: (row: T) => number, size: number): Generator<T[]> {
  let after = 0;
  for (;;) {
    const page = read(after, size);
    if (page.length > 0) yield page;
    if (page.length < size) return;
    after = key(page[page.length - 1]!);
  }
}

const json = (value: unknown) => JSON.stringify(value);

/** A JSON array written in pieces: one page of items per chunk, one item per line. */
function* array<T>(name: string, pages: Iterable<T[]>, map: (row: T) => unknown = (row) => row): Generator<string> {
  yield `,\n"${name}": [`;
  let first = true;
  for (const page of pages) {
    yield page.map((row, i) => `${first && i === 0 ? '' : ','}\n  ${json(map(row))}`).join('');
    first = false;
  }
  yield first ? ']' : '\n]';
}

/** The file, as text chunks. Each chunk's rows are read when the stream asks for it. */
export function* exportChunks(userId: string, draftToken: string | null, now = new Date(), pageSize = EXPORT_PAGE_SIZE): Generator<string> {
  const account = exportAccount(userId);
  const { notifyReplies, ...accountFields } = account ?? { notifyReplies: false };
  const subscriptions = exportSubscriptions(userId);
  yield `{\n"format": ${json(EXPORT_FORMAT)},\n"version": ${EXPORT_VERSION},\n"exportedAt": ${json(now)}`;
  yield `,\n"account": ${json(account ? accountFields : null)}`;
  yield `,\n"signInProviders": ${json(exportProviders(userId))}`;
  yield `,\n"notificationSettings": ${json({ emailOnReplies: notifyReplies, followedDiscussions: subscriptions.discussions, mutedThreads: subscriptions.mutedThreads })}`;
  yield* array(
    'comments',
    paged((after, size) => exportCommentPage(userId, after, size), (c) => c.id, pageSize),
    ({ article, ...comment }) => ({ ...comment, article, url: `${articlePath(article)}?comment=${comment.id}` }),
  );
  yield* array('votes', paged((after, size) => exportVotePage(userId, after, size), (v) => v.commentId, pageSize));
  yield* array('pollStances', [exportStances(userId)]);
  yield* array('reports', paged((after, size) => exportReportPage(userId, after, size), (r) => r.commentId, pageSize));
  yield* array('drafts', [exportDraft(draftToken)]);
  yield '\n}\n';
}

/**
 * A byte stream over the chunks, read as the client takes them (pull): the next page is read
 * only once the previous one was handed on, so a slow download holds one page, not the file.
 */
export function exportStream(chunks: Generator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const next = chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      cancel() {
        chunks.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}

export function exportFileName(now = new Date()): string {
  return `my-data-${now.toISOString().slice(0, 10)}.json`;
}

/** Checks and counts a download; the file itself is read as it is sent. */
export function startExport(viewer: UserSummary | null, draftToken: string | null): Result<{ stream: ReadableStream<Uint8Array>; fileName: string }> {
  const refused = check(viewer, 'exportData');
  if (refused || !viewer) return refused ?? refuse('unauthorized:session');
  const limit = takeLimit('export', viewer.id, rateLimits().exports);
  if (!limit.allowed) {
    return refuse('rate_limited:action', undefined, `You downloaded your data several times in the last hour. ${tryAgainMessage(limit.retryAfterMs).replace('Too many attempts. ', '')}`);
  }
  const now = new Date();
  return { ok: true, value: { stream: exportStream(exportChunks(viewer.id, draftToken, now)), fileName: exportFileName(now) } };
}
