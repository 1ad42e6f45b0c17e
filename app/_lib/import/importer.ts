import 'server-only';
import { getDb, type Tx } from '@/db/index';
import { articleSlugs, findImported, insertImportedComment, placeImported } from '@/db/queries/comment-imports';
import { replyPlacement, type Placement } from '@/db/queries/comments';
import { resolveImportAuthor } from '@/db/queries/guest-authors';
import type { CommentStatus } from '@/db/schema';
import { htmlToText, sanitizeImportedHtml } from '../content/markdown';
import { checkMappings, matchThread } from './mapping';
import { readSource, type SourceComment, type SourceFormat, type SourceState, type SourceThread } from './sources';
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

/** A database id (a comment an earlier import stored) or a source id in this file. */
type Ref = number | string;

type Node = {
  thread: string;
  parent: string | null;
  state: SourceState;
  /** Set once placed: where it sits, and whether its parent was missing. */
  place?: Placement<Ref>;
  orphan?: boolean;
  /** The comment's row: stored by an earlier import (a duplicate) or by this one. */
  dbId?: number;
  duplicate?: boolean;
  seen?: boolean;
};

class RolledBack extends Error {}

export function importComments(options: ImportOptions): ImportReport {
  const { format, file, includeSpam = false, dryRun = false } = options;
  const threads = new Map<string, SourceThread>();
  const nodes = new Map<string, Node>();
  let missingIds = 0;
  readSource(format, file, {
    thread: (t) => void threads.set(t.key, t),
    comment: (c) => {
      if (c.idMissing) missingIds += 1;
      if (!nodes.has(c.sourceId)) nodes.set(c.sourceId, { thread: c.threadKey, parent: c.parentSourceId, state: c.state });
    },
  });

  const db = getDb();
  const slugs = articleSlugs(db);
  const map = options.map ?? new Map<string, string>();
  checkMappings(map, slugs);
  const byThread = new Map<string, ReturnType<typeof matchThread>>();
  for (const [key, thread] of threads) byThread.set(key, matchThread(thread, map, slugs));
  const articleOf = (threadKey: string) => {
    const match = byThread.get(threadKey);
    return match && match.articleId !== null ? match.articleId : null;
  };

  /**
   * Approved and pending comments are stored; Disqus' isSpam ones are held; WordPress spam and
   * trash only with --include-spam (held). Pingbacks, trackbacks and Disqus' deleted never.
   */
  const stored = ({ state }: Node) =>
    state === 'approved' || state === 'pending' || (state === 'spam' && (includeSpam || format === 'disqus')) || (state === 'trash' && includeSpam);

  /** Places `sid` and, first, the ancestors it hangs from (iteratively: threads may be deep). */
  const place = (sid: string): void => {
    const chain: string[] = [];
    let cursor: string | null = sid;
    const onPath = new Set<string>();
    while (cursor !== null) {
      const node: Node = nodes.get(cursor)!;
      if (node.place || onPath.has(cursor)) break;
      onPath.add(cursor);
      chain.push(cursor);
      const parent: Node | undefined = node.parent !== null ? nodes.get(node.parent) : undefined;
      cursor = parent && !parent.place && stored(parent) && articleOf(parent.thread) === articleOf(node.thread) ? node.parent : null;
    }
    for (const id of chain.reverse()) {
      const node = nodes.get(id)!;
      const article = articleOf(node.thread);
      const existing = findImported(format, id);
      if (existing) {
        node.dbId = existing.id;
        node.duplicate = true;
        node.place = { parentId: existing.parentId, rootId: existing.rootId, replyToId: null, depth: existing.depth };
        continue;
      }
      const top: Placement<Ref> = { parentId: null, rootId: null, replyToId: null, depth: 0 };
      if (node.parent === null) {
        node.place = top;
        continue;
      }
      const parentNode = nodes.get(node.parent);
      if (parentNode?.place && stored(parentNode) && articleOf(parentNode.thread) === article) {
        const p = parentNode.place;
        const parentRef: Ref = parentNode.dbId ?? node.parent;
        node.place = replyPlacement<Ref>({ id: parentRef, parentId: p.parentId, rootId: p.rootId ?? parentRef, depth: p.depth });
        continue;
      }
      // Not in this file (or skipped there): perhaps an earlier import stored it.
      const earlier = parentNode ? null : findImported(format, node.parent);
      if (earlier && earlier.articleId === article) {
        node.place = replyPlacement<Ref>(earlier);
        continue;
      }
      node.place = top;
      node.orphan = true;
    }
  };

  const report: ImportReport = { format, file, dryRun, articles: new Map(), unmapped: new Map(), missingIds, total: nodes.size };
  const counts = (slug: string) => {
    let c = report.articles.get(slug);
    if (!c) report.articles.set(slug, (c = emptyCounts()));
    return c;
  };

  const write = (tx: Tx) => {
    const authors = new Map<string, string>();
    const deferred: string[] = [];
    const resolve = (ref: Ref | null): number | null | undefined => (ref === null ? null : typeof ref === 'number' ? ref : nodes.get(ref)?.dbId);
    readSource(format, file, {
      thread: () => {},
      comment: (c: SourceComment) => {
        const node = nodes.get(c.sourceId)!;
        const match = byThread.get(c.threadKey);
        if (!match || match.articleId === null) {
          const link = threads.get(c.threadKey)?.link ?? (c.threadKey ? `thread ${c.threadKey}` : 'a thread with no id');
          const entry = report.unmapped.get(link) ?? { comments: 0, why: match ? match.why : 'the file has no such thread' };
          entry.comments += 1;
          report.unmapped.set(link, entry);
          return;
        }
        const tally = counts(match.slug);
        if (node.seen) {
          tally.duplicates += 1;
          return;
        }
        node.seen = true;
        if (c.state === 'pingback') return void (tally.pingbacks += 1);
        if (c.state === 'deleted') return void (tally.deleted += 1);
        if (!stored(node)) return void (tally.spamOrTrash += 1);
        place(c.sourceId);
        if (node.duplicate) return void (tally.duplicates += 1);
        const html = sanitizeImportedHtml(c.html);
        if (!html) return void (tally.empty += 1);
        const status: CommentStatus = c.state === 'approved' ? 'visible' : 'pending';
        const placement = node.place!;
        const resolved = { parentId: resolve(placement.parentId), rootId: resolve(placement.rootId), replyToId: resolve(placement.replyToId) };
        const later = Object.values(resolved).some((v) => v === undefined);
        const id = insertImportedComment(tx, {
          articleId: match.articleId,
          authorId: resolveImportAuthor(
            tx,
            { source: format, key: c.authorEmail?.toLowerCase() || `name:${c.authorName}`, name: c.authorName, email: c.authorEmail },
            authors,
          ),
          ...(later ? { parentId: null, rootId: null, replyToId: null, depth: 0 } : { ...(resolved as Placement<number>), depth: placement.depth }),
          questionId: null,
          bodyMarkdown: htmlToText(html),
          bodyHtml: html,
          status,
          moderationReason: status === 'pending' ? (c.state === 'pending' ? 'imported' : `imported-${c.state}`) : null,
          createdAt: c.createdAt ?? new Date(),
          source: format,
          sourceId: c.sourceId,
        });
        if (id === null) return void (tally.duplicates += 1);
        node.dbId = id;
        if (later) deferred.push(c.sourceId);
        tally.imported += 1;
        if (status === 'pending') tally.held += 1;
        if (node.orphan) tally.orphans += 1;
      },
    });
    // Replies that came before their parent in the file, placed now that every row exists.
    for (const sid of deferred) {
      const node = nodes.get(sid)!;
      const p = node.place!;
      placeImported(tx, node.dbId!, { parentId: resolve(p.parentId) ?? null, rootId: resolve(p.rootId) ?? node.dbId!, replyToId: resolve(p.replyToId) ?? null, depth: p.depth });
    }
    if (dryRun) throw new RolledBack();
  };

  try {
    db.transaction(write, { behavior: 'immediate' });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
  return report;
}
