import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { closeDb, getDb } from '@/db/index';
import { createPasswordUser, type UserSummary } from '@/db/queries/users';
import { seedArticles } from '@/db/seed';
import { createTemporaryDatabase } from '@/db/test-db';
import { articleCache } from '../comments/article-cache';
import { postComment } from '../comments/service';

articleCache.revalidate = () => {};
const temp = createTemporaryDatabase();
const SLUG = 'xiaomi-q2-2017-smartphone-shipments';
let n = 0;
const reader = (): UserSummary => createPasswordUser({ name: 'Fast', email: `fast${++n}@example.com`, passwordHash: 'x' });
const stored = (user: UserSummary) => getDb().$client.prepare('select count(*) from comments where author_id = ?').pluck().get(user.id);

before(() => seedArticles(getDb()));
beforeEach(() => {
  for (const key of ['COMMENT_RATE_LIMIT_DISABLED', 'COMMENT_MIN_INTERVAL_SECONDS', 'COMMENT_HOURLY_LIMIT', 'COMMENT_DUPLICATE_MINUTES']) delete process.env[key];
});
after(() => {
  closeDb();
  temp.cleanup();
});

describe('flood control per reader', () => {
  it('allows one comment per 15 seconds and says when to try again', async () => {
    const user = reader();
    assert.ok((await postComment(user, SLUG, { body: 'First' })).ok);
    const second = await postComment(user, SLUG, { body: 'Second' });
    assert.equal(second.ok, false);
    assert.match(second.ok ? '' : second.message, /^You are posting too fast\. Try again in 1[45] seconds\.$/);
    assert.equal(stored(user), 1);
  });

  it('caps a reader at 30 comments an hour', async () => {
    process.env.COMMENT_MIN_INTERVAL_SECONDS = '0';
    const user = reader();
    for (let i = 0; i < 30; i += 1) assert.ok((await postComment(user, SLUG, { body: `Comment ${i}` })).ok, `comment ${i}`);
    const over = await postComment(user, SLUG, { body: 'One too many' });
    assert.match(over.ok ? '' : over.message, /^You have posted 30 comments in the last hour\. Try again in \d+ minutes\.$/);
    assert.equal(stored(user), 30);
  });

  it('refuses the same text twice within 10 minutes', async () => {
    process.env.COMMENT_MIN_INTERVAL_SECONDS = '0';
    const user = reader();
    assert.ok((await postComment(user, SLUG, { body: 'Same words' })).ok);
    const again = await postComment(user, SLUG, { body: 'Same words' });
    assert.match(again.ok ? '' : again.message, /same comment a few minutes ago/);
    assert.ok((await postComment(user, SLUG, { body: 'Different words' })).ok);
  });

  it('20 posts fired at once by one reader store only what the limit allows', async () => {
    const user = reader();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => postComment(user, SLUG, { body: `Burst ${i}` })));
    assert.equal(results.filter((r) => r.ok).length, 1);
    assert.equal(stored(user), 1);
  });

  it('moderators are not throttled', async () => {
    const mod = reader();
    getDb().$client.prepare("update users set role = 'moderator' where id = ?").run(mod.id);
    const summary = { ...mod, role: 'moderator' as const };
    assert.ok((await postComment(summary, SLUG, { body: 'One' })).ok);
    assert.ok((await postComment(summary, SLUG, { body: 'Two' })).ok);
  });
});
