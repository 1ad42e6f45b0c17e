import crypto from 'node:crypto';
import { ImportError, streamXml } from './xml-stream';

/*
 * WordPress (WXR) and Disqus exports, read as a stream of threads and comments in one shape.
 * Nothing here touches the database: app/_lib/import/importer.ts decides what to store.
 */

export type SourceFormat = 'wordpress' | 'disqus';

/** What a source says about a comment's state; the importer maps it to a status here. */
export type SourceState = 'approved' | 'pending' | 'spam' | 'trash' | 'pingback' | 'deleted';

/** A post (WXR item) or a Disqus thread: where comments hang. `key` is unique within the file. */
export type SourceThread = { key: string; link: string | null; slug: string | null; title: string | null };

export type SourceComment = {
  /** The id in the source; made from the comment's content when the source left it empty. */
  sourceId: string;
  /** True when the source gave no id (the id above is then a hash of the comment). */
  idMissing: boolean;
  threadKey: string;
  parentSourceId: string | null;
  authorName: string;
  authorEmail: string | null;
  html: string;
  createdAt: Date | null;
  state: SourceState;
};

export type SourceHandlers = { thread(t: SourceThread): void; comment(c: SourceComment): void };

const WXR_ROOT = 'rss';
const DISQUS_ROOT = 'disqus';

/** The message for a file of the other format, or of neither. */
function wrongRoot(file: string, want: SourceFormat, root: string, attributes: Record<string, string>, line: number): ImportError {
  const looksWxr = root === WXR_ROOT && Object.keys(attributes).some((a) => a === 'xmlns:wp');
  const is = root === DISQUS_ROOT ? 'a Disqus export' : looksWxr ? 'a WordPress (WXR) export' : `an XML file whose root element is <${root}>`;
  const hint = root === DISQUS_ROOT ? ' Run: npm run import -- disqus FILE' : looksWxr ? ' Run: npm run import -- wordpress FILE' : '';
  const wanted = want === 'wordpress' ? 'a WordPress (WXR) export (<rss> with the wp: namespace)' : 'a Disqus export (<disqus>)';
  return new ImportError(`${file}, line ${line}: this is ${is}, not ${wanted}.${hint}`);
}

/**
 * `2013-05-01 12:34:56` (WXR), read as UTC, or ISO 8601 with its offset (Disqus); null when
 * absent or zero.
 */
export function parseSourceDate(value: string | undefined): Date | null {
  const text = value?.trim() ?? '';
  if (!text || text.startsWith('0000-00-00')) return null;
  const iso = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A stable id for a comment the source gave none: the same comment hashes the same on every run. */
function contentId(thread: string, author: string, date: string, body: string): string {
  return 'sha1:' + crypto.createHash('sha1').update(`${thread}\u0000${author}\u0000${date}\u0000${body}`).digest('hex');
}

/** Collects the text of the elements named in `fields` while inside one record element. */
class Fields {
  values = new Map<string, string>();
  private current: string | null = null;
  constructor(private readonly fields: ReadonlySet<string>) {}
  open(name: string) {
    this.current = this.fields.has(name) ? name : null;
    if (this.current) this.values.set(name, '');
  }
  text(text: string) {
    if (this.current) this.values.set(this.current, (this.values.get(this.current) ?? '') + text);
  }
  close() {
    this.current = null;
  }
  get(name: string): string | undefined {
    return this.values.get(name);
  }
}

const ITEM_FIELDS = new Set(['link', 'title', 'wp:post_name', 'wp:post_id']);
const WXR_COMMENT_FIELDS = new Set([
  'wp:comment_id',
  'wp:comment_author',
  'wp:comment_author_email',
  'wp:comment_date',
  'wp:comment_date_gmt',
  'wp:comment_content',
  'wp:comment_approved',
  'wp:comment_type',
  'wp:comment_parent',
]);

function wxrState(approved: string, type: string): SourceState {
  if (type === 'pingback' || type === 'trackback') return 'pingback';
  if (approved === '1' || approved === 'approve') return 'approved';
  if (approved === 'spam') return 'spam';
  if (approved === 'trash' || approved === 'post-trashed') return 'trash';
  return 'pending';
}

/** Streams a WordPress WXR export: each <item> is a thread, each <wp:comment> in it a comment. */
export function readWordPress(file: string, on: SourceHandlers): void {
  let items = 0;
  let item: Fields | null = null;
  let comment: Fields | null = null;
  let threadSent = false;
  let depth = 0;
  const sendThread = () => {
    if (!item || threadSent) return;
    threadSent = true;
    on.thread({ key: String(items), link: item.get('link')?.trim() || null, slug: item.get('wp:post_name')?.trim() || null, title: item.get('title')?.trim() || null });
  };
  streamXml(file, {
    open(name, attributes, line) {
      depth += 1;
      if (depth === 1 && (name !== WXR_ROOT || !('xmlns:wp' in attributes))) throw wrongRoot(file, 'wordpress', name, attributes, line);
      if (name === 'item') {
        items += 1;
        item = new Fields(ITEM_FIELDS);
        threadSent = false;
      } else if (name === 'wp:comment' && item) {
        sendThread();
        comment = new Fields(WXR_COMMENT_FIELDS);
      } else (comment ?? (depth === 4 ? item : null))?.open(name);
    },
    text(text) {
      (comment ?? item)?.text(text);
    },
    close(name) {
      depth -= 1;
      if (name === 'wp:comment' && comment && item) {
        const c = comment;
        comment = null;
        const threadKey = String(items);
        const id = c.get('wp:comment_id')?.trim() ?? '';
        const parent = c.get('wp:comment_parent')?.trim() ?? '';
        const authorName = c.get('wp:comment_author')?.trim() ?? '';
        const html = c.get('wp:comment_content') ?? '';
        const gmt = c.get('wp:comment_date_gmt');
        on.comment({
          sourceId: id || contentId(threadKey, authorName, gmt ?? '', html),
          idMissing: !id,
          threadKey,
          parentSourceId: parent && parent !== '0' ? parent : null,
          authorName,
          authorEmail: c.get('wp:comment_author_email')?.trim() || null,
          html,
          // WordPress writes UTC in comment_date_gmt and the blog's local time, without its
          // offset, in comment_date; the former is zero on some held comments, and then the
          // local time is the best there is.
          createdAt: parseSourceDate(gmt) ?? parseSourceDate(c.get('wp:comment_date')),
          state: wxrState(c.get('wp:comment_approved')?.trim() ?? '', c.get('wp:comment_type')?.trim() ?? ''),
        });
      } else if (comment) comment.close();
      else if (name === 'item') {
        sendThread();
        item = null;
      } else item?.close();
    },
  });
}

const THREAD_FIELDS = new Set(['id', 'link', 'title']);
const POST_FIELDS = new Set(['id', 'message', 'createdAt', 'isDeleted', 'isSpam', 'name', 'email']);

/**
 * Streams a Disqus export: <thread dsq:id> elements, then <post> elements that name their
 * thread and parent by dsq:id. Threads and posts may have an empty <id> (the site's own
 * identifier); the dsq:id is what links them, and a post missing even that gets a content id.
 */
export function readDisqus(file: string, on: SourceHandlers): void {
  let depth = 0;
  let record: Fields | null = null;
  let kind: 'thread' | 'post' | null = null;
  let dsqId = '';
  let threadRef = '';
  let parentRef = '';
  streamXml(file, {
    open(name, attributes, line) {
      depth += 1;
      if (depth === 1 && name !== DISQUS_ROOT) throw wrongRoot(file, 'disqus', name, attributes, line);
      if (depth === 2 && (name === 'thread' || name === 'post')) {
        kind = name;
        record = new Fields(name === 'thread' ? THREAD_FIELDS : POST_FIELDS);
        dsqId = attributes['dsq:id']?.trim() ?? '';
        threadRef = '';
        parentRef = '';
      } else if (kind === 'post' && depth === 3 && name === 'thread') threadRef = attributes['dsq:id']?.trim() ?? '';
      else if (kind === 'post' && depth === 3 && name === 'parent') parentRef = attributes['dsq:id']?.trim() ?? '';
      else if (record && (depth === 3 || (kind === 'post' && depth === 4))) record.open(name);
    },
    text(text) {
      record?.text(text);
    },
    close() {
      depth -= 1;
      if (depth === 1 && record) {
        const r = record;
        record = null;
        if (kind === 'thread') {
          const link = r.get('link')?.trim() || null;
          on.thread({ key: dsqId || `link:${link ?? ''}`, link, slug: r.get('id')?.trim() || null, title: r.get('title')?.trim() || null });
        } else {
          const html = r.get('message') ?? '';
          const authorName = r.get('name')?.trim() ?? '';
          const created = r.get('createdAt')?.trim() ?? '';
          on.comment({
            sourceId: dsqId || contentId(threadRef, authorName, created, html),
            idMissing: !dsqId,
            threadKey: threadRef,
            parentSourceId: parentRef || null,
            authorName,
            authorEmail: r.get('email')?.trim() || null,
            html,
            createdAt: parseSourceDate(created),
            state: r.get('isDeleted')?.trim() === 'true' ? 'deleted' : r.get('isSpam')?.trim() === 'true' ? 'spam' : 'approved',
          });
        }
        kind = null;
      } else record?.close();
    },
  });
}

export function readSource(format: SourceFormat, file: string, on: SourceHandlers): void {
  (format === 'wordpress' ? readWordPress : readDisqus)(file, on);
}
