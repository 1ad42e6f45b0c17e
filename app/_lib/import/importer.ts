import 'server-only';
import { getDb, type Tx } from '@/db/index';
import { articleSlugs, countImported, findImported, hasImported, indexingCommentsAtTheEnd, insertImportedComment, lastCommentId, placeImported } from '@/db/queries/comment-imports';
import { passImportedComments } from '@/db/queries/notifications';
import { replyPlacement, type Placement } from '@/db/queries/comments';
import { resolveImportAuthor } from '@/db/queries/guest-authors';
import type { CommentStatus } from '@/db/schema';
import { htmlToText, sanitizeImportedHtml } from '../content/markdown';
import { checkMappings, matchThread } from './mapping';
import { readSource, type SourceComment, type SourceFormat, type SourceThread } from './sources';
import { CommentTable, DUPLICATE, isRowRef, NONE, ORPHAN, PLACED, rowOf, rowRef, SEEN, VISITING } from './comment-table';
import { emptyCounts, type ImportReport } from './report';

/*
 * Imports a WordPress or Disqus export in two streamed passes over the file. The first reads it
 * whole without writing (so a malformed or truncated file is refused before anything is stored)
 * and keeps, per comment, only its thread and parent: enough to place every reply, whatever the
 * order of the file. The second runs in one transaction and stores the comments: a failure
 * anywhere leaves the database as it was, and --dry-run rolls that transaction back.
 */

export type ImportOptions = {
  format: SourceFormat;
  file: string;
  dryRun?: boolean;
  /** Hold spam and trash for review instead of skipping them. */
  includeSpam?: boolean;
  /** Mapping keys (mapKey) to slugs, from --map and --map-file. */
  map?: Map<string, string>;
};

class RolledBack extends Error {}

export function importComments(options: ImportOptions): ImportReport {
  const { format, file, includeSpam = false, dryRun = false } = options;
  const threads: SourceThread[] = [];
  const threadAt = new Map<string, number>();
  const table = new CommentTable();
  const threadOf = (key: string) => {
    let at = threadAt.get(key);
    if (at === undefined) {
      threadAt.set(key, (at = threads.length));
      threads.push({ key, link: null, slug: null, title: null });
    }
    return at;
  };
  let missingIds = 0;
  readSource(format, file, {
    thread: (t) => void (threads[threadOf(t.key)] = t),
    comment: (c) => {
      if (c.idMissing) missingIds += 1;
      table.add(c.sourceId, threadOf(c.threadKey), c.parentSourceId, c.state);
    },
  });
  table.link();

  const db = getDb();
  const slugs = articleSlugs(db);
  const map = options.map ?? new Map<string, string>();
  checkMappings(map, slugs);
  // A thread that posts name but the file never describes (an empty or unknown thread id) has no link: unmapped.
  const matches = threads.map((t) => (t.link || t.slug ? matchThread(t, map, slugs) : { articleId: null, why: 'the file has no such thread' as string }));
  const articleAt = (at: number) => matches[table.thread[at]!]!.articleId;
  // Nothing from this source is stored yet (a first import): no comment needs looking up. Read
  // inside the write transaction, so no other import can have added any since.
  let earlierImports = true;
  const storedEarlier = (sourceId: string) => (earlierImports ? findImported(format, sourceId) : null);

  /**
   * Approved and pending comments are stored; Disqus' isSpam ones are held; WordPress spam and
   * trash only with --include-spam (held). Pingbacks, trackbacks and Disqus' deleted never.
   */
  const stored = (at: number) => {
    const state = table.stateOf(at);
    return state === 'approved' || state === 'pending' || (state === 'spam' && (includeSpam || format === 'disqus')) || (state === 'trash' && includeSpam);
  };
  /** The parent `at` hangs from in this file, if it is stored in the same article. */
  const parentInFile = (at: number) => {
    const parent = table.parent[at]!;
    return parent >= 0 && stored(parent) && articleAt(parent) === articleAt(at) ? parent : NONE;
  };
  const setPlace = (at: number, p: Placement<number>, flags = 0) => {
    table.placedParent[at] = p.parentId ?? NONE;
    table.placedRoot[at] = p.rootId ?? NONE;
    table.placedReplyTo[at] = p.replyToId ?? NONE;
    table.depth[at] = p.depth;
    table.flags[at]! |= PLACED | flags;
  };
  const TOP: Placement<number> = { parentId: null, rootId: null, replyToId: null, depth: 0 };

  /**
   * Places the comment at position `at` and, first, the ancestors it hangs from (iteratively:
   * threads may be deep). References are positions in the file or rows (comment-table.ts).
   */
  const place = (at: number): void => {
    const chain: number[] = [];
    // VISITING marks the chain being walked, so a loop of parents in a broken file ends (as an orphan).
    for (let cursor = at; cursor !== NONE && !(table.flags[cursor]! & (PLACED | VISITING)); cursor = parentInFile(cursor)) {
      table.flags[cursor]! |= VISITING;
      chain.push(cursor);
    }
    for (const here of chain.reverse()) {
      const existing = storedEarlier(sourceIdOf(here));
      if (existing) {
        table.row[here] = existing.id;
        setPlace(here, { parentId: existing.parentId === null ? null : rowRef(existing.parentId), rootId: rowRef(existing.rootId), replyToId: null, depth: existing.depth }, DUPLICATE);
        continue;
      }
      const parent = parentInFile(here);
      if (parent !== NONE && table.flags[parent]! & PLACED) {
        const ref = table.row[parent] ? rowRef(table.row[parent]!) : parent;
        const grand = table.placedParent[parent]!;
        const root = table.placedRoot[parent]!;
        setPlace(here, replyPlacement<number>({ id: ref, parentId: grand === NONE ? null : grand, rootId: root === NONE ? ref : root, depth: table.depth[parent]! }));
        continue;
      }
      if (table.parent[here] === NONE) {
        setPlace(here, TOP);
        continue;
      }
      // Not in this file (or skipped there): perhaps an earlier import stored it.
      const absent = table.absentParent.get(here);
      const earlier = absent === undefined ? null : storedEarlier(absent);
      if (earlier && earlier.articleId === articleAt(here)) {
        setPlace(here, replyPlacement<number>({ id: rowRef(earlier.id), parentId: earlier.parentId === null ? null : rowRef(earlier.parentId), rootId: rowRef(earlier.rootId), depth: earlier.depth }));
        continue;
      }
      setPlace(here, TOP, ORPHAN);
    }
  };
  // Source ids are needed again only for duplicates and absent parents: kept in the position map.
  let sourceIds: string[] | null = null;
  const sourceIdOf = (at: number) => {
    sourceIds ??= Array.from(table.positions.keys());
    return sourceIds[at]!;
  };

  const report: ImportReport = { format, file, dryRun, articles: new Map(), unmapped: new Map(), missingIds, total: table.size };
  const counts = (slug: string) => {
    let c = report.articles.get(slug);
    if (!c) report.articles.set(slug, (c = emptyCounts()));
    return c;
  };
  /** A placement reference as a row id: null for none, undefined for a comment not stored yet. */
  const resolve = (ref: number): number | null | undefined => (ref === NONE ? null : isRowRef(ref) ? rowOf(ref) : table.row[ref] || undefined);

  const write = (tx: Tx) => {
    const authors = new Map<string, string>();
    const deferred: number[] = [];
    earlierImports = hasImported(tx, format);
    const lastIdBefore = lastCommentId(tx);
    const touched = new Set<number>();
    const visibleByArticle = new Map<number, number>();
    readSource(format, file, {
      thread: () => {},
      comment: (c: SourceComment) => {
        const at = table.positions.get(c.sourceId)!;
        const match = matches[threadAt.get(c.threadKey)!]!;
        if (match.articleId === null) {
          const thread = threads[threadAt.get(c.threadKey)!]!;
          const link = thread.link ?? (c.threadKey ? `thread ${c.threadKey}` : 'a thread with no id');
          const entry = report.unmapped.get(link) ?? { comments: 0, why: match.why };
          entry.comments += 1;
          report.unmapped.set(link, entry);
          return;
        }
        const tally = counts(match.slug);
        if (table.flags[at]! & SEEN) return void (tally.duplicates += 1);
        table.flags[at]! |= SEEN;
        if (c.state === 'pingback') return void (tally.pingbacks += 1);
        if (c.state === 'deleted') return void (tally.deleted += 1);
        if (!stored(at)) return void (tally.spamOrTrash += 1);
        place(at);
        if (table.flags[at]! & DUPLICATE) return void (tally.duplicates += 1);
        const html = sanitizeImportedHtml(c.html).trim();
        const text = htmlToText(html);
        // A comment is never stored empty (an empty one is what the retention job leaves).
        if (!text) return void (tally.empty += 1);
        const status: CommentStatus = c.state === 'approved' ? 'visible' : 'pending';
        const parentId = resolve(table.placedParent[at]!);
        const rootId = resolve(table.placedRoot[at]!);
        const replyToId = resolve(table.placedReplyTo[at]!);
        const later = parentId === undefined || rootId === undefined || replyToId === undefined;
        const id = insertImportedComment(tx, {
          articleId: match.articleId,
          authorId: resolveImportAuthor(
            tx,
            { source: format, key: c.authorEmail?.toLowerCase() || `name:${c.authorName}`, name: c.authorName, email: c.authorEmail },
            authors,
          ),
          ...(later ? TOP : { parentId, rootId, replyToId, depth: table.depth[at]! }),
          questionId: null,
          bodyMarkdown: text,
          bodyHtml: html,
          status,
          moderationReason: status === 'pending' ? (c.state === 'pending' ? 'imported' : `imported-${c.state}`) : null,
          createdAt: c.createdAt ?? new Date(),
          source: format,
          sourceId: c.sourceId,
        }, visibleByArticle);
        if (id === null) return void (tally.duplicates += 1);
        table.row[at] = id;
        touched.add(match.articleId);
        if (later) deferred.push(at);
        tally.imported += 1;
        if (status === 'pending') tally.held += 1;
        if (table.flags[at]! & ORPHAN) tally.orphans += 1;
      },
    });
    // Replies that came before their parent in the file, placed now that every row exists. A
    // parent that was never stored (nothing left of it after sanitizing) leaves an orphan.
    for (const at of deferred) {
      const id = table.row[at]!;
      const parentId = resolve(table.placedParent[at]!);
      const rootId = resolve(table.placedRoot[at]!);
      const replyToId = resolve(table.placedReplyTo[at]!);
      if (parentId === undefined || rootId === undefined || replyToId === undefined) {
        const match = matches[table.thread[at]!]!;
        if (match.articleId !== null) counts(match.slug).orphans += 1;
        continue;
      }
      placeImported(tx, id, { parentId, rootId: rootId ?? id, replyToId, depth: table.depth[at]! });
    }
    countImported(tx, visibleByArticle);
    // Old discussion is not news: subscribers are not mailed about what was imported.
    const lastIdAfter = lastCommentId(tx);
    for (const articleId of touched) passImportedComments(tx, articleId, lastIdBefore, lastIdAfter);
    if (dryRun) throw new RolledBack();
  };

  try {
    db.transaction((tx) => indexingCommentsAtTheEnd(tx, () => write(tx)), { behavior: 'immediate' });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
  return report;
}
