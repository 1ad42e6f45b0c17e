import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { closeDb, getDb } from '@/db/index';
import { getArticleBySlug } from '@/db/queries/articles';
import { createPasswordUser, type UserSummary } from '@/db/queries/users';
import { seedArticles } from '@/db/seed';
import { createTemporaryDatabase } from '@/db/test-db';
import { ERRORS } from '../http/errors';
import { articleCache } from './article-cache';
import { coalescer } from './coalesce';
import { loadDiscussion } from './discussion';
import { DEFAULT_VIEW } from './view';

articleCache.revalidate = () => {};
const temp = createTemporaryDatabase();
const SLUG = 'xiaomi-q2-2017-smartphone-shipments';
let service: typeof import('./service');
let polls: typeof import('./polls');
let n = 0;
const reader = (): UserSummary => createPasswordUser({ name: `Reader ${++n}`, email: `reader${n}@example.com`, passwordHash: 'x' });
const db = () => getDb().$client;

before(async () => {
  process.env.COMMENT_RATE_LIMIT_DISABLED = '1';
  seedArticles(getDb());
  service = await import('./service');
  polls = await import('./polls');
});
afterEach(() => {
  process.env.COMMENT_RATE_LIMIT_DISABLED = '1';
  for (const key of ['VOTE_LIMIT_PER_MINUTE', 'EDIT_LIMIT_PER_HOUR', 'STANCE_LIMIT_PER_MINUTE', 'RENAME_LIMIT_PER_HOUR']) delete process.env[key];
});
after(() => {
  closeDb();
  temp.cleanup();
});

async function comment(author: UserSummary, body: string, status?: 'pending' | 'hidden' | 'deleted') {
  const posted = await service.postComment(author, SLUG, { body });
  assert.ok(posted.ok, JSON.stringify(posted));
  if (status) db().prepare('update comments set status = ? where id = ?').run(status, posted.value.id);
  return posted.value.id;
}

describe('REQUIRE_VERIFIED_EMAIL', () => {
  it('holds a new comment by a reader with an unverified address for review, and posts a verified reader’s at once', async () => {
    process.env.REQUIRE_VERIFIED_EMAIL = '1';
    try {
      const unverified = reader();
      const verified = { ...reader(), emailVerified: true };
      const held = await service.postComment(unverified, SLUG, { body: 'Held until someone looks.' });
      assert.ok(held.ok);
      assert.deepEqual(db().prepare('select status, moderation_reason from comments where id = ?').get(held.value.id), { status: 'pending', moderation_reason: 'unverified email' });
      const shown = await service.postComment(verified, SLUG, { body: 'Shown at once.' });
      assert.ok(shown.ok);
      assert.equal(db().prepare('select status from comments where id = ?').pluck().get(shown.value.id), 'visible');
    } finally {
      delete process.env.REQUIRE_VERIFIED_EMAIL;
    }
  });

  it('is off by default: an unverified reader’s comment appears at once', async () => {
    const posted = await service.postComment(reader(), SLUG, { body: 'No review needed.' });
    assert.ok(posted.ok);
    assert.equal(db().prepare('select status from comments where id = ?').pluck().get(posted.value.id), 'visible');
  });
});

describe('throttles on writes that re-render cached pages', () => {
  it('refuses a reader’s votes past the limit per minute, and stores none of them', async () => {
    const [author, voter] = [reader(), reader()];
    const ids = [];
    for (let i = 0; i < 4; i += 1) ids.push(await comment(author, `Votable ${i}`));
    process.env.COMMENT_RATE_LIMIT_DISABLED = '';
    process.env.VOTE_LIMIT_PER_MINUTE = '3';
    for (const id of ids.slice(0, 3)) assert.ok((await service.voteOnComment(voter, SLUG, { commentId: id })).ok);
    const over = await service.voteOnComment(voter, SLUG, { commentId: ids[3] });
    assert.equal(over.ok ? '' : over.code, 'rate_limited:action');
    assert.match(over.ok ? '' : over.message, /^You are voting too often\. Try again in \d+ seconds\.$/);
    assert.equal(ERRORS['rate_limited:action'].status, 429);
    assert.equal(db().prepare('select score from comments where id = ?').pluck().get(ids[3]), 0);
  });

  it('refuses edits past the limit per hour and keeps the text', async () => {
    const author = reader();
    const id = await comment(author, 'Original text');
    process.env.COMMENT_RATE_LIMIT_DISABLED = '';
    process.env.EDIT_LIMIT_PER_HOUR = '2';
    assert.ok((await service.editComment(author, SLUG, { commentId: id, body: 'Edit one' })).ok);
    assert.ok((await service.editComment(author, SLUG, { commentId: id, body: 'Edit two' })).ok);
    const over = await service.editComment(author, SLUG, { commentId: id, body: 'Edit three' });
    assert.match(over.ok ? '' : over.message, /^You are editing too often\. Try again in \d+ minutes\.$/);
    assert.equal(db().prepare('select body_markdown from comments where id = ?').pluck().get(id), 'Edit two');
  });

  it('refuses stance changes past the limit per minute', async () => {
    const article = getArticleBySlug(SLUG)!;
    const poll = article.questions.find((q) => q.kind === 'poll');
    assert.ok(poll, 'the seeded article has a poll');
    process.env.COMMENT_RATE_LIMIT_DISABLED = '';
    process.env.STANCE_LIMIT_PER_MINUTE = '2';
    const voter = reader();
    const [a, b] = poll.choices as [(typeof poll.choices)[number], (typeof poll.choices)[number]];
    assert.ok((await polls.giveStance(voter, SLUG, { questionKey: poll.key, choice: a.key })).ok);
    assert.ok((await polls.giveStance(voter, SLUG, { questionKey: poll.key, choice: b.key })).ok);
    const over = await polls.giveStance(voter, SLUG, { questionKey: poll.key, choice: a.key });
    assert.match(over.ok ? '' : over.message, /^You are changing your answer too often\./);
  });
});

describe('the rename throttle', () => {
  it('refuses a reader’s name changes past the limit per hour and keeps the last name saved', async () => {
    const { changeDisplayName } = await import('../auth/profile');
    const renamer = reader();
    process.env.COMMENT_RATE_LIMIT_DISABLED = '';
    process.env.RENAME_LIMIT_PER_HOUR = '2';
    for (const name of ['First Name', 'Second Name']) assert.ok((await changeDisplayName(renamer, { name })).ok);
    const over = await changeDisplayName(renamer, { name: 'Third Name' });
    assert.equal(over.ok ? '' : over.code, 'rate_limited:action');
    assert.match(over.ok ? '' : over.message, /^You are changing your name too often\. Try again in \d+ minutes?\.$/);
    assert.equal(db().prepare('select name from users where id = ?').pluck().get(renamer.id), 'Second Name');
  });
});

describe('held comments stay unknown to others', () => {
  it('answers a vote on or a reply to a held comment as “does not exist” (404), a deleted one as “was deleted” (409)', async () => {
    const [author, other] = [reader(), reader()];
    for (const status of ['pending', 'hidden'] as const) {
      const held = await comment(author, `Held ${status}`, status);
      const vote = await service.voteOnComment(other, SLUG, { commentId: held });
      const reply = await service.postComment(other, SLUG, { body: 'A reply', parentId: held });
      const edit = await service.editComment(other, SLUG, { commentId: held, body: 'Mine now' });
      for (const result of [vote, reply, edit]) {
        assert.equal(result.ok ? '' : result.code, 'not_found:comment', status);
        assert.equal(result.ok ? '' : result.message, 'That comment does not exist in this discussion.');
      }
      assert.equal(ERRORS['not_found:comment'].status, 404);
    }
    const deleted = await comment(author, 'Deleted one', 'deleted');
    const vote = await service.voteOnComment(other, SLUG, { commentId: deleted });
    assert.equal(vote.ok ? '' : vote.code, 'gone:comment');
  });

  it('leaves held comments out of a signed-out page’s latestId', async () => {
    const author = reader();
    const shown = await comment(author, 'Shown to all');
    const held = await comment(author, 'Awaiting review', 'pending');
    const article = getArticleBySlug(SLUG)!;
    assert.equal(loadDiscussion(article, DEFAULT_VIEW, null).latestId, shown);
    assert.equal(loadDiscussion(article, DEFAULT_VIEW, author).latestId, held, 'the author sees their own held comment');
  });
});

describe('coalesced revalidation', () => {
  it('runs the first call in a window at once and folds the rest into one run when it ends', async () => {
    const deferred: (() => Promise<void>)[] = [];
    const coalesce = coalescer(() => 50, (task) => deferred.push(task));
    const runs: string[] = [];
    for (let i = 0; i < 5; i += 1) coalesce('a', () => runs.push('a'));
    coalesce('b', () => runs.push('b'));
    assert.deepEqual(runs, ['a', 'b']);
    assert.equal(deferred.length, 1, 'one trailing run for the burst on a');
    await deferred[0]!();
    assert.deepEqual(runs, ['a', 'b', 'a']);
    await new Promise((resolve) => setTimeout(resolve, 60));
    coalesce('a', () => runs.push('a'));
    assert.deepEqual(runs, ['a', 'b', 'a', 'a'], 'a call after the window runs at once');
  });
});
