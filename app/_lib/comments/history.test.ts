import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeDb, getDb } from '@/db/index';
import { createPasswordUser, getUserSummary, type UserSummary } from '@/db/queries/users';
import { seedArticles } from '@/db/seed';
import { createTemporaryDatabase } from '@/db/test-db';
import { articleCache } from './article-cache';

/*
 * A comment's edit history through the services, as readers and moderators reach it: the
 * author's edits, a moderator's edit with its reason, who may read the history, and the delete
 * that removes it. Real migrated SQLite; only Next's page cache is left out.
 */
articleCache.revalidate = () => {};
process.env.COMMENT_RATE_LIMIT_DISABLED = '1';
const temp = createTemporaryDatabase();
const SLUG = 'xiaomi-q2-2017-smartphone-shipments';
const db = () => getDb().$client;
let comments: typeof import('./service');
let history: typeof import('./history');
let moderation: typeof import('../moderation/service');
let ada: UserSummary;
let bo: UserSummary;
let mo: UserSummary;
let articleId: number;

before(async () => {
  seedArticles(getDb());
  comments = await import('./service');
  history = await import('./history');
  moderation = await import('../moderation/service');
  ada = createPasswordUser({ name: 'Ada', email: 'ada@example.com', passwordHash: 'x' });
  bo = createPasswordUser({ name: 'Bo', email: 'bo@example.com', passwordHash: 'x' });
  const mod = createPasswordUser({ name: 'Mo', email: 'mo@example.com', passwordHash: 'x' });
  db().prepare("update users set role = 'moderator' where id = ?").run(mod.id);
  mo = getUserSummary(mod.id)!;
  articleId = db().prepare('select id from articles where slug = ?').pluck().get(SLUG) as number;
});
after(() => {
  closeDb();
  temp.cleanup();
});

async function postAndEdit(...texts: string[]): Promise<number> {
  const posted = await comments.postComment(ada, SLUG, { body: texts[0] });
  assert.ok(posted.ok, JSON.stringify(posted));
  for (const body of texts.slice(1)) {
    const edited = await comments.editComment(ada, SLUG, { commentId: posted.value.id, body });
    assert.ok(edited.ok, JSON.stringify(edited));
  }
  return posted.value.id;
}

function read(viewer: UserSummary | null, id: number) {
  return history.readCommentHistory(viewer, articleId, String(id));
}

describe('reading a comment’s history', () => {
  it('lists every version oldest first, each with the words removed and added since the one before', async () => {
    const id = await postAndEdit('The phone ships in red', 'The phone ships in blue', 'The phone ships in blue and green');
    const result = read(null, id);
    assert.ok(result.ok, JSON.stringify(result));
    const { versions } = result.value;
    assert.deepEqual(versions.map((v) => [v.number, v.markdown, v.writtenAs]), [
      [1, 'The phone ships in red', 'author'],
      [2, 'The phone ships in blue', 'author'],
      [3, 'The phone ships in blue and green', 'author'],
    ]);
    assert.equal(versions[0]!.changes, null);
    const changed = (n: number, kind: string) => versions[n]!.changes!.filter((c) => c.kind === kind).map((c) => c.text.trim());
    assert.deepEqual(changed(1, 'removed'), ['red']);
    assert.deepEqual(changed(1, 'added'), ['blue']);
    assert.deepEqual(changed(2, 'removed'), []);
    assert.deepEqual(changed(2, 'added'), ['and green']);
  });

  it('a held comment’s history is its author’s and the moderators’ alone; to others it does not exist', async () => {
    const id = await postAndEdit('Held later', 'Held now');
    db().prepare("update comments set status = 'pending' where id = ?").run(id);
    for (const viewer of [null, bo]) assert.deepEqual(read(viewer, id), { ok: false, code: 'not_found:comment', message: 'That comment does not exist in this discussion.' });
    assert.ok(read(ada, id).ok);
    assert.ok(read(mo, id).ok);
  });

  it('a comment of another article, or a malformed id, has no history here', async () => {
    const id = await postAndEdit('Somewhere');
    assert.equal(history.readCommentHistory(null, articleId + 1000, String(id)).ok, false);
    assert.equal(history.readCommentHistory(null, articleId, `${id}x`).ok, false);
  });

  it('an author’s delete takes the history with it', async () => {
    const id = await postAndEdit('Regret', 'More regret');
    assert.ok((await comments.deleteComment(ada, SLUG, { commentId: id })).ok);
    const result = read(ada, id);
    assert.equal(result.ok ? '' : result.code, 'gone:comment');
    assert.equal(db().prepare('select count(*) from comment_versions where comment_id = ?').pluck().get(id), 0);
  });
});

describe('a moderator’s edit', () => {
  it('needs a reason; then the history says "moderator" with it, and the audit log names the moderator', async () => {
    const id = await postAndEdit('Call me on 555-0100');
    const before = db().prepare('select count(*) from comment_versions').pluck().get();
    const noReason = await moderation.editAsModerator(mo, { commentId: id, articleSlug: SLUG, body: 'Call me', reason: '  ' });
    assert.equal(noReason.ok ? '' : noReason.message, 'Say why you changed the comment; readers see it in its history.');
    assert.equal(db().prepare('select count(*) from comment_versions').pluck().get(), before, 'a refused edit keeps nothing');

    const done = await moderation.editAsModerator(mo, { commentId: id, articleSlug: SLUG, body: 'Call me', reason: 'Removed a phone number' });
    assert.deepEqual(done, { ok: true, value: { commentId: id, changed: true } });
    const result = read(null, id);
    assert.ok(result.ok);
    assert.deepEqual(result.value.versions.map((v) => [v.markdown, v.writtenAs, v.reason]), [
      ['Call me on 555-0100', 'author', null],
      ['Call me', 'moderator', 'Removed a phone number'],
    ]);
    assert.deepEqual(db().prepare("select actor_id, reason from moderation_log where action = 'comment.edit' and target_id = ?").get(String(id)), {
      actor_id: mo.id,
      reason: 'Removed a phone number',
    });
  });

  it('a reader cannot edit someone else’s comment as a moderator', async () => {
    const id = await postAndEdit('Mine');
    const result = await moderation.editAsModerator(bo, { commentId: id, articleSlug: SLUG, body: 'Theirs', reason: 'Because' });
    assert.equal(result.ok ? '' : result.code, 'forbidden:moderator');
  });
});
