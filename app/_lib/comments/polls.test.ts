import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeDb, getDb } from '@/db/index';
import { createPasswordUser, type UserSummary } from '@/db/queries/users';
import { seedArticles } from '@/db/seed';
import { createTemporaryDatabase } from '@/db/test-db';
import { articleCache } from './article-cache';
import { giveStance } from './polls';
import { postComment } from './service';

// Outside a Next server there is no page cache to refresh: record the calls instead.
articleCache.revalidate = () => {};

// These tests post faster than a person; flood control has its own tests (moderation.test.ts).
process.env.COMMENT_RATE_LIMIT_DISABLED = '1';
const temp = createTemporaryDatabase();
const SLUG = 'xiaomi-q2-2017-smartphone-shipments';
let ada: UserSummary;
let bo: UserSummary;

before(() => {
  seedArticles(getDb());
  ada = createPasswordUser({ name: 'Ada', email: 'ada@example.com', passwordHash: 'x' });
  bo = createPasswordUser({ name: 'Bo', email: 'bo@example.com', passwordHash: 'x' });
});
after(() => {
  closeDb();
  temp.cleanup();
});

const db = () => getDb().$client;
function totals(): Record<string, number> {
  const rows = db()
    .prepare("select c.key, c.vote_count from question_choices c join questions q on q.id = c.question_id where q.key = 'targets' order by c.position")
    .all() as { key: string; vote_count: number }[];
  return Object.fromEntries(rows.map((r) => [r.key, r.vote_count]));
}
function snapshot() {
  return {
    votes: db().prepare('select * from poll_votes order by question_id, user_id').all(),
    choices: db().prepare('select id, vote_count from question_choices order by id').all(),
    comments: db().prepare('select * from comments order by id').all(),
    questions: db().prepare('select id, answer_count from questions order by id').all(),
  };
}

describe('one-click answers to the targets question', () => {
  it('records one stance per reader, and changing it moves the totals', async () => {
    assert.deepEqual(totals(), { yes: 0, no: 0, 'too-early': 0 });
    assert.ok((await giveStance(ada, SLUG, { questionKey: 'targets', choice: 'yes' })).ok);
    assert.ok((await giveStance(bo, SLUG, { questionKey: 'targets', choice: 'yes' })).ok);
    assert.deepEqual(totals(), { yes: 2, no: 0, 'too-early': 0 });

    const again = await giveStance(ada, SLUG, { questionKey: 'targets', choice: 'yes' });
    assert.deepEqual(again, { ok: true, value: { questionKey: 'targets', choice: 'yes', changed: false } });
    assert.deepEqual(totals(), { yes: 2, no: 0, 'too-early': 0 });

    assert.ok((await giveStance(ada, SLUG, { questionKey: 'targets', choice: 'too-early' })).ok);
    assert.deepEqual(totals(), { yes: 1, no: 0, 'too-early': 1 });
    assert.equal(db().prepare('select count(*) from poll_votes where user_id = ?').pluck().get(ada.id), 1);
  });

  it('refuses a stance on a question that is not a poll, and changes nothing', async () => {
    const before = snapshot();
    const result = await giveStance(ada, SLUG, { questionKey: 'growth', choice: 'yes' });
    assert.equal(result.ok ? '' : result.code, 'invalid:not_a_poll');
    assert.deepEqual(snapshot(), before);
  });

  it('refuses unknown choices, unknown questions, other articles and signed-out readers, and changes nothing', async () => {
    const before = snapshot();
    const cases: [UserSummary | null, string, unknown, string][] = [
      [ada, SLUG, { questionKey: 'targets', choice: 'maybe' }, 'invalid:choice'],
      [ada, SLUG, { questionKey: 'targets', choice: '' }, 'invalid:choice'],
      [ada, SLUG, { questionKey: 'targets' }, 'invalid:choice'],
      [ada, SLUG, { questionKey: 'nope', choice: 'yes' }, 'not_found:question'],
      [ada, 'another-article', { questionKey: 'targets', choice: 'yes' }, 'not_found:article'],
      [null, SLUG, { questionKey: 'targets', choice: 'yes' }, 'unauthorized:poll'],
    ];
    for (const [viewer, slug, input, code] of cases) {
      const result = await giveStance(viewer, slug, input);
      assert.equal(result.ok ? 'ok' : result.code, code, JSON.stringify(input));
    }
    assert.deepEqual(snapshot(), before);
  });
});

describe('answers tagged with a question', () => {
  it('counts an answer for its question; replies inherit the question and do not count again', async () => {
    const answer = await postComment(ada, SLUG, { body: 'They will', questionKey: 'targets' });
    assert.ok(answer.ok);
    const reply = await postComment(bo, SLUG, { body: 'Doubt it', parentId: answer.value.id, questionKey: 'growth' });
    assert.ok(reply.ok);
    assert.equal(reply.value.questionId, answer.value.questionId, 'the thread decides the question');
    assert.equal(db().prepare("select answer_count from questions where key = 'targets'").pluck().get(), 1);
    assert.equal(db().prepare("select answer_count from questions where key = 'growth'").pluck().get(), 0);
  });

  it('refuses a question of another article, and changes nothing', async () => {
    db().prepare("insert into articles (slug, title, summary, body_markdown, content_hash) values ('other', 'Other', 'S', 'B', 'h')").run();
    const other = db().prepare("select id from articles where slug = 'other'").pluck().get();
    db().prepare("insert into questions (article_id, key, position, prompt, kind) values (?, 'elsewhere', 1, 'Elsewhere?', 'open')").run(other);
    const before = snapshot();
    const result = await postComment(ada, SLUG, { body: 'Wrong place', questionKey: 'elsewhere' });
    assert.equal(result.ok ? '' : result.code, 'not_found:question');
    const stance = await giveStance(ada, SLUG, { questionKey: 'elsewhere', choice: 'yes' });
    assert.equal(stance.ok, false);
    assert.deepEqual(snapshot(), before);
  });

  it('an edit keeps the question', async () => {
    const { editComment } = await import('./service');
    const answer = await postComment(ada, SLUG, { body: 'First take', questionKey: 'next-focus' });
    assert.ok(answer.ok);
    const edited = await editComment(ada, SLUG, { commentId: answer.value.id, body: 'Second take', questionKey: 'growth' });
    assert.ok(edited.ok);
    assert.equal(edited.value.questionId, answer.value.questionId);
  });
});
