import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { closeDb, getDb } from '@/db/index';
import { createPasswordUser, getUserSummary, type UserSummary } from '@/db/queries/users';
import { seedArticles } from '@/db/seed';
import { createTemporaryDatabase } from '@/db/test-db';
import { articleCache } from '../comments/article-cache';
import { editComment, postComment } from '../comments/service';
import { banReader, decideComment, setDiscussionClosed } from './service';

/*
 * Writes that belong together commit together. A trigger in the real SQLite file makes the
 * second write of each pair fail; the first must then not be stored either.
 */
articleCache.revalidate = () => {};
articleCache.revalidateAll = () => {};
process.env.COMMENT_RATE_LIMIT_DISABLED = '1';
const temp = createTemporaryDatabase();
const SLUG = 'xiaomi-q2-2017-smartphone-shipments';
const db = () => getDb().$client;
let reader: UserSummary;
let moderator: UserSummary;

before(() => {
  seedArticles(getDb());
  reader = createPasswordUser({ name: 'Reader', email: 'reader@example.com', passwordHash: 'x' });
  const mod = createPasswordUser({ name: 'Mod', email: 'mod@example.com', passwordHash: 'x' });
  db().prepare("update users set role = 'moderator' where id = ?").run(mod.id);
  moderator = getUserSummary(mod.id)!;
});
afterEach(() => {
  db().exec('drop trigger if exists fail_second_write');
  delete process.env.HOLD_WORDS;
});
after(() => {
  closeDb();
  temp.cleanup();
});

async function visibleComment(body: string): Promise<number> {
  const posted = await postComment(reader, SLUG, { body });
  assert.ok(posted.ok && posted.value.status === 'visible', JSON.stringify(posted));
  return posted.value.id;
}

const row = (id: number) => db().prepare('select status, body_markdown as body from comments where id = ?').get(id);
const auditRows = () => db().prepare('select count(*) from moderation_log').pluck().get();
const commentCount = () => Number(db().prepare('select comment_count from articles where slug = ?').pluck().get(SLUG));

describe('writes that belong together', () => {
  it('an edit that must be held never stores the new text while the comment is still shown', async () => {
    const id = await visibleComment('A harmless comment.');
    process.env.HOLD_WORDS = 'casino';
    db().exec(`create trigger fail_second_write before update of status on comments when new.status = 'pending'
      begin select raise(abort, 'second write failed'); end`);
    await assert.rejects(editComment(reader, SLUG, { commentId: id, body: 'Visit my casino.' }), /second write failed/);
    assert.deepEqual(row(id), { status: 'visible', body: 'A harmless comment.' });
  });

  it('an edit that is held stores the text and the hold together', async () => {
    const id = await visibleComment('Another harmless comment.');
    const before = commentCount();
    process.env.HOLD_WORDS = 'casino';
    const edited = await editComment(reader, SLUG, { commentId: id, body: 'Visit my casino.' });
    assert.ok(edited.ok);
    assert.deepEqual(row(id), { status: 'pending', body: 'Visit my casino.' });
    assert.equal(commentCount(), before - 1);
  });

  it('a moderation decision is not stored without its audit entry', async () => {
    const id = await visibleComment('A comment a moderator will hide.');
    const [entries, count] = [auditRows(), commentCount()];
    db().exec(`create trigger fail_second_write before insert on moderation_log begin select raise(abort, 'second write failed'); end`);
    await assert.rejects(decideComment(moderator, 'reject', { commentId: id }), /second write failed/);
    assert.deepEqual(row(id), { status: 'visible', body: 'A comment a moderator will hide.' });
    assert.equal(commentCount(), count);
    assert.equal(auditRows(), entries);
  });

  it('a ban and closing a discussion are not stored without their audit entries', async () => {
    const target = createPasswordUser({ name: 'Target', email: 'target@example.com', passwordHash: 'x' });
    db().exec(`create trigger fail_second_write before insert on moderation_log begin select raise(abort, 'second write failed'); end`);
    await assert.rejects(banReader(moderator, { userId: target.id, reason: 'Spam', hideComments: true }), /second write failed/);
    assert.equal(getUserSummary(target.id)?.ban, null);
    await assert.rejects(setDiscussionClosed(moderator, { slug: SLUG, closed: '1' }), /second write failed/);
    assert.equal(db().prepare('select closed_at from articles where slug = ?').pluck().get(SLUG), null);
  });

  it('stores a decision and its audit entry together when both succeed', async () => {
    const id = await visibleComment('A comment to hide for real.');
    const entries = auditRows();
    assert.ok((await decideComment(moderator, 'reject', { commentId: id })).ok);
    assert.equal((row(id) as { status: string }).status, 'hidden');
    assert.equal(auditRows(), Number(entries) + 1);
  });
});
