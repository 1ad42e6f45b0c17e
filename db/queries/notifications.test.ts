import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import { closeDb, getDb } from '../index';
import { seedArticles } from '../seed';
import { createTemporaryDatabase } from '../test-db';
import { decideCommentStatus, decideCommentStatuses, insertComment, reportComment, type NewComment } from './comment-writes';
import { deferReaderThread, pendingReaderEvents } from './notifications';
import { createPasswordUser } from './users';

const temp = createTemporaryDatabase();
const raw = () => getDb().$client;
let articleId = 0;
let serial = 0;

before(() => {
  seedArticles(getDb());
  articleId = raw().prepare('select id from articles order by id limit 1').pluck().get() as number;
});
after(() => {
  closeDb();
  temp.cleanup();
});

function reader(): string {
  serial += 1;
  return createPasswordUser({ name: `Reader ${serial}`, email: `r${serial}@example.test`, passwordHash: 'x' }).id;
}

function post(authorId: string, parent: { id: number; rootId: number } | null, status: NewComment['status'] = 'visible'): { id: number; rootId: number } {
  const { id } = insertComment({
    articleId,
    authorId,
    parentId: parent?.id ?? null,
    rootId: parent?.rootId ?? null,
    replyToId: null,
    depth: parent ? 1 : 0,
    questionId: null,
    bodyMarkdown: 'text',
    bodyHtml: '<p>text</p>',
    status,
    clientToken: null,
  });
  return { id, rootId: parent?.rootId ?? id };
}

const eventsFor = (commentId: number) =>
  raw().prepare('select recipient_id as recipientId, reason from notifications where comment_id = ? order by id').all(commentId) as {
    recipientId: string | null;
    reason: string;
  }[];

const audit = (actorId: string, id: number) => ({ actorId, action: 'comment.approve', targetType: 'comment' as const, targetId: id });

describe('notification events', () => {
  it('a reply notifies the parent author, and the thread starter once when they differ', () => {
    const [ana, ben, cy] = [reader(), reader(), reader()];
    const top = post(ana, null);
    const reply = post(ben, top);
    assert.deepEqual(eventsFor(reply.id), [{ recipientId: ana, reason: 'reply' }]);
    const deeper = post(cy, { id: reply.id, rootId: top.rootId });
    assert.deepEqual(eventsFor(deeper.id), [
      { recipientId: ben, reason: 'reply' },
      { recipientId: ana, reason: 'thread' },
    ]);
    assert.deepEqual(eventsFor(top.id), [], 'a new thread notifies nobody');
  });

  it('never notifies the author of their own reply', () => {
    const ana = reader();
    const top = post(ana, null);
    const self = post(ana, top);
    assert.deepEqual(eventsFor(self.id), []);
  });

  it('a held reply tells the moderators only, and its parent author once it is approved', () => {
    const [ana, ben, mod] = [reader(), reader(), reader()];
    const top = post(ana, null);
    const held = post(ben, top, 'pending');
    assert.deepEqual(eventsFor(held.id), [{ recipientId: null, reason: 'held' }]);
    decideCommentStatus(held.id, 'visible', null, audit(mod, held.id));
    assert.deepEqual(eventsFor(held.id), [
      { recipientId: null, reason: 'held' },
      { recipientId: ana, reason: 'reply' },
    ]);
    const second = post(ben, top, 'pending');
    decideCommentStatuses([{ commentId: second.id, status: 'visible', reason: null, audit: audit(mod, second.id) }]);
    assert.deepEqual(eventsFor(second.id).at(-1), { recipientId: ana, reason: 'reply' }, 'the bulk approval too');
  });

  it('a rejected held reply notifies nobody', () => {
    const [ana, ben, mod] = [reader(), reader(), reader()];
    const held = post(ben, post(ana, null), 'pending');
    decideCommentStatus(held.id, 'hidden', 'moderator', audit(mod, held.id));
    assert.deepEqual(eventsFor(held.id), [{ recipientId: null, reason: 'held' }]);
  });

  it('reports reaching the threshold tell the moderators, in the report that hides it', () => {
    const [ana, ben] = [reader(), reader()];
    const top = post(ana, null);
    const first = reportComment({ commentId: top.id, userId: ben, reason: 'spam', details: null, threshold: 1, reporterMinAgeMs: 0 });
    // The reporter has no shown comment of their own yet, so their word does not count.
    assert.equal(first.hidden, false);
    assert.deepEqual(eventsFor(top.id), []);
    const cy = reader();
    post(cy, null);
    const counted = reportComment({ commentId: top.id, userId: cy, reason: 'spam', details: null, threshold: 1, reporterMinAgeMs: 0 });
    assert.equal(counted.hidden, true);
    assert.deepEqual(eventsFor(top.id), [{ recipientId: null, reason: 'reported' }]);
  });
});

describe('one reader’s thread', () => {
  /*
   * A reader waiting out a batch window can have thousands of unmailed events across many threads
   * (6,364 for one bench writer). The notify job defers and mails one thread at a time, the
   * deferral holding SQLite's write lock, so both must go straight to that thread's events: found
   * through the reader alone, 25 deferrals held the lock for up to 19 ms while posts waited.
   */
  it('is read and deferred through the index on reader and thread, not a scan of all the reader has pending', () => {
    const seen: string[] = [];
    const prepare = raw().prepare.bind(raw());
    mock.method(raw(), 'prepare', (source: string) => {
      seen.push(source);
      return prepare(source);
    });
    try {
      getDb().transaction((tx) => deferReaderThread(tx, 'nobody', 1, 2, 3));
      pendingReaderEvents('nobody', 1);
    } finally {
      mock.restoreAll();
    }
    const statements = seen.filter((source) => /^(update|select)\b[\s\S]*"notifications"/i.test(source));
    assert.equal(statements.length, 2, `the deferral and the read compiled here: ${statements.join(' / ')}`);
    for (const source of statements) {
      const blanks = Array.from({ length: (source.match(/\?/g) ?? []).length }, () => 0);
      const plan = (raw().prepare(`explain query plan ${source}`).all(...blanks) as { detail: string }[]).map((row) => row.detail).join('; ');
      assert.match(plan, /USING INDEX notifications_thread_idx/, `${source.slice(0, 40)}…: ${plan}`);
    }
  });
});
