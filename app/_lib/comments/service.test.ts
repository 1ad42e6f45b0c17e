import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeDb, getDb } from '@/db/index';
import { getArticleRef } from '@/db/queries/articles';
import { createPasswordUser, type UserSummary } from '@/db/queries/users';
import { seedArticles } from '@/db/seed';
import { createTemporaryDatabase } from '@/db/test-db';

import { articleCache } from './article-cache';

/*
 * The comment rules against a real, migrated SQLite file. Revalidating Next's cache needs a
 * running Next server, so it is the one thing replaced here: the tests record which articles
 * were refreshed instead.
 */
const revalidated: string[] = [];
articleCache.revalidate = (slug: string) => {
  revalidated.push(slug);
};

// These tests post faster than a person; flood control has its own tests (moderation.test.ts).
process.env.COMMENT_RATE_LIMIT_DISABLED = '1';
const temp = createTemporaryDatabase();
const SLUG = 'xiaomi-q2-2017-smartphone-shipments';
let service: typeof import('./service');
let ada: UserSummary;
let bo: UserSummary;

before(async () => {
  seedArticles(getDb());
  service = await import('./service');
  ada = createPasswordUser({ name: 'Ada', email: 'ada@example.com', passwordHash: 'x' });
  bo = createPasswordUser({ name: 'Bo', email: 'bo@example.com', passwordHash: 'x' });
});
after(() => {
  closeDb();
  temp.cleanup();
});

/** Every row of the tables a comment write touches, to prove a refusal changed nothing. */
function snapshot() {
  const db = getDb().$client;
  return {
    comments: db.prepare('select * from comments order by id').all(),
    votes: db.prepare('select * from comment_votes order by comment_id, user_id').all(),
    articles: db.prepare('select id, comment_count from articles').all(),
  };
}

async function post(viewer: UserSummary | null, body: string, extra: Record<string, unknown> = {}) {
  const result = await service.postComment(viewer, SLUG, { body, ...extra });
  assert.ok(result.ok, JSON.stringify(result));
  return result.value;
}

describe('posting', () => {
  it('stores the comment with sanitized HTML, counts it and refreshes the article page', async () => {
    revalidated.length = 0;
    const comment = await post(ada, 'Hello <script>alert(1)</script> **world**');
    assert.equal(comment.authorName, 'Ada');
    assert.match(comment.html, /<strong>world<\/strong>/);
    assert.equal(comment.html.includes('<script'), false);
    assert.equal(getDb().$client.prepare('select comment_count from articles').pluck().get(), 1);
    assert.deepEqual(revalidated, [SLUG]);
  });

  it('refuses a signed-out post and leaves the database unchanged', async () => {
    const before = snapshot();
    const result = await service.postComment(null, SLUG, { body: 'Anonymous' });
    assert.deepEqual(result, { ok: false, code: 'unauthorized:comment', message: 'Sign in to comment.' });
    assert.deepEqual(snapshot(), before);
  });

  it('refuses empty, whitespace, over-long and null-byte bodies with a reason', async () => {
    const before = snapshot();
    for (const [body, reason] of [
      ['', /empty/],
      [' \n\t ', /empty/],
      ['x'.repeat(5001), /up to 5,000 characters; yours has 5,001/],
      ['bad\u0000byte', /cannot be stored/],
      [42, /./],
      [undefined, /./],
    ] as const) {
      const result = await service.postComment(ada, SLUG, { body });
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.message, reason);
    }
    assert.deepEqual(snapshot(), before);
  });

  it('a form token that is not one the page drew asks for a reload, and nothing is stored', async () => {
    const before = snapshot();
    const result = await service.postComment(ada, SLUG, { body: 'Hi', clientToken: '<script>' });
    assert.equal(result.ok ? 'ok' : result.message, 'This form could not be read. Reload the page and post again.');
    assert.deepEqual(snapshot(), before);
  });

  it('accepts exactly 5,000 characters', async () => {
    const comment = await post(ada, 'y'.repeat(5000));
    assert.ok(comment.id);
  });

  it('stores one comment for a double submit with the same form token', async () => {
    const first = await post(ada, 'Once', { clientToken: 'tok-1' });
    const second = await post(ada, 'Once', { clientToken: 'tok-1' });
    assert.equal(second.id, first.id);
    const third = await post(bo, 'Once', { clientToken: 'tok-1' });
    assert.notEqual(third.id, first.id, 'tokens are per reader');
  });

  it('refuses a reply to a comment of another article, an unknown comment or an unknown article', async () => {
    const other = getDb().$client;
    other.prepare("insert into articles (slug, title, summary, body_markdown, content_hash) values ('other', 'Other', 'S', 'B', 'h')").run();
    const otherArticle = getArticleRef('other')!;
    const foreign = other
      .prepare("insert into comments (article_id, author_id, body_markdown, body_html, root_id) values (?, ?, 'x', '<p>x</p>', null) returning id")
      .pluck()
      .get(otherArticle.id, bo.id) as number;
    const before = snapshot();
    assert.equal((await service.postComment(ada, SLUG, { body: 'Hi', parentId: foreign })).ok, false);
    assert.equal((await service.postComment(ada, SLUG, { body: 'Hi', parentId: 999_999 })).ok, false);
    assert.equal((await service.postComment(ada, 'no-such-article', { body: 'Hi' })).ok, false);
    assert.equal((await service.postComment(ada, SLUG, { body: 'Hi', parentId: 'abc' })).ok, false);
    assert.deepEqual(snapshot(), before);
  });
});

describe('threads', () => {
  it('nests replies two levels under a thread, then attaches deeper replies at the last level', async () => {
    const root = await post(ada, 'Root');
    const one = await post(bo, 'Level 1', { parentId: root.id });
    const two = await post(ada, 'Level 2', { parentId: one.id });
    const three = await post(bo, 'Level 3?', { parentId: two.id });
    assert.deepEqual([root.depth, one.depth, two.depth, three.depth], [0, 1, 2, 2]);
    assert.equal(three.parentId, one.id, 'attached beside the comment it answers');
    assert.deepEqual(three.replyTo, { id: two.id, authorName: 'Ada' });
    assert.deepEqual([one.rootId, two.rootId, three.rootId], [root.id, root.id, root.id]);
  });
});

describe('authorization of changes', () => {
  it('a reader cannot edit another reader’s comment, and nothing changes', async () => {
    const comment = await post(ada, 'Mine');
    const before = snapshot();
    const result = await service.editComment(bo, SLUG, { commentId: comment.id, body: 'Hijacked' });
    assert.equal(result.ok ? '' : result.code, 'forbidden:comment');
    assert.deepEqual(snapshot(), before);
  });

  it('a signed-out request cannot edit, delete or vote', async () => {
    const comment = await post(ada, 'Guarded');
    const before = snapshot();
    assert.equal((await service.editComment(null, SLUG, { commentId: comment.id, body: 'x' })).ok, false);
    assert.equal((await service.deleteComment(null, SLUG, { commentId: comment.id })).ok, false);
    assert.equal((await service.voteOnComment(null, SLUG, { commentId: comment.id })).ok, false);
    assert.deepEqual(snapshot(), before);
  });

  it('a reader cannot delete another reader’s comment, and nothing changes', async () => {
    const comment = await post(ada, 'Keep me');
    const before = snapshot();
    const result = await service.deleteComment(bo, SLUG, { commentId: comment.id });
    assert.equal(result.ok ? '' : result.code, 'forbidden:comment');
    assert.deepEqual(snapshot(), before);
  });

  it('the author edits: new text, an edited time, the same question', async () => {
    const comment = await post(ada, 'Answer', { questionKey: 'growth' });
    const result = await service.editComment(ada, SLUG, { commentId: comment.id, body: 'Better *answer*' });
    assert.ok(result.ok);
    assert.match(result.value.html, /<em>answer<\/em>/);
    assert.ok(result.value.editedAt);
    assert.equal(result.value.questionId, comment.questionId);
  });

  it('the author deletes: the text goes, replies stay, the count drops', async () => {
    const parent = await post(ada, 'Parent');
    const reply = await post(bo, 'Child', { parentId: parent.id });
    const count = () => getDb().$client.prepare('select comment_count from articles where slug = ?').pluck().get(SLUG);
    const before = count() as number;
    assert.ok((await service.deleteComment(ada, SLUG, { commentId: parent.id })).ok);
    const row = getDb().$client.prepare('select status, body_markdown, body_html from comments where id = ?').get(parent.id);
    assert.deepEqual(row, { status: 'deleted', body_markdown: '', body_html: '' });
    assert.equal(getDb().$client.prepare('select status from comments where id = ?').pluck().get(reply.id), 'visible');
    assert.equal(count(), before - 1);
    const again = await service.editComment(ada, SLUG, { commentId: parent.id, body: 'Back' });
    assert.equal(again.ok ? '' : again.code, 'gone:comment');
  });
});

describe('comments of another article', () => {
  it('a form on one article cannot edit, delete, vote on or report a comment of another, and nothing changes', async () => {
    const db = getDb().$client;
    db.prepare("insert or ignore into articles (slug, title, summary, body_markdown, content_hash) values ('other', 'Other', 'S', 'B', 'h')").run();
    const theirs = db
      .prepare("insert into comments (article_id, author_id, body_markdown, body_html) values (?, ?, 'Elsewhere', '<p>Elsewhere</p>') returning id")
      .pluck()
      .get(getArticleRef('other')!.id, ada.id) as number;
    db.prepare('update comments set root_id = id where id = ?').run(theirs);
    const before = snapshot();
    const refusals = [
      await service.editComment(ada, SLUG, { commentId: theirs, body: 'Moved' }),
      await service.deleteComment(ada, SLUG, { commentId: theirs }),
      await service.voteOnComment(bo, SLUG, { commentId: theirs, vote: 'up' }),
      await service.reportComment(bo, SLUG, { commentId: theirs, reason: 'spam' }),
      await service.editComment(ada, '', { commentId: theirs, body: 'No article named' }),
    ];
    assert.deepEqual(
      refusals.map((r) => (r.ok ? 'ok' : r.message)),
      Array(5).fill('That comment does not exist in this discussion.'),
    );
    assert.deepEqual(snapshot(), before);
    // From its own article, the same comment can be changed.
    assert.ok((await service.editComment(ada, 'other', { commentId: theirs, body: 'Fine here' })).ok);
  });
});

describe('reports', () => {
  it('a report that is incomplete says what is missing, and nothing changes', async () => {
    const comment = await post(ada, 'Report me');
    const before = snapshot();
    const missingDetails = await service.reportComment(bo, SLUG, { commentId: comment.id, reason: 'other' });
    assert.equal(missingDetails.ok ? 'ok' : missingDetails.message, 'Say what is wrong with it.');
    const noReason = await service.reportComment(bo, SLUG, { commentId: comment.id, reason: 'bogus' });
    assert.equal(noReason.ok ? 'ok' : noReason.message, 'Choose why you are reporting this comment.');
    assert.deepEqual(snapshot(), before);
  });
});

describe('votes', () => {
  it('one up-vote per reader, which they can take back', async () => {
    const comment = await post(ada, 'Vote for me');
    assert.deepEqual((await service.voteOnComment(bo, SLUG, { commentId: comment.id, vote: 'up' })), { ok: true, value: { commentId: comment.id, voted: true, score: 1 } });
    assert.deepEqual((await service.voteOnComment(bo, SLUG, { commentId: comment.id, vote: 'up' })), { ok: true, value: { commentId: comment.id, voted: true, score: 1 } });
    assert.deepEqual((await service.voteOnComment(bo, SLUG, { commentId: comment.id })), { ok: true, value: { commentId: comment.id, voted: false, score: 0 } });
  });

  it('a reader cannot vote on their own comment, and nothing changes', async () => {
    const comment = await post(ada, 'Self');
    const before = snapshot();
    const result = await service.voteOnComment(ada, SLUG, { commentId: comment.id, vote: 'up' });
    assert.equal(result.ok ? '' : result.code, 'forbidden:vote_own');
    assert.deepEqual(snapshot(), before);
  });

  it('voting on an unknown comment is refused', async () => {
    const before = snapshot();
    assert.equal((await service.voteOnComment(bo, SLUG, { commentId: 123_456 })).ok, false);
    assert.equal((await service.voteOnComment(bo, SLUG, { commentId: 'x' })).ok, false);
    assert.deepEqual(snapshot(), before);
  });
});

describe('undo a delete', () => {
  it('puts the comment back exactly as it was: text, HTML, status, votes and counts', async () => {
    const comment = await post(ada, 'Worth **keeping** after all');
    assert.ok((await service.voteOnComment(bo, SLUG, { commentId: comment.id, vote: 'up' })).ok);
    const db = getDb().$client;
    const row = () => db.prepare('select status, body_markdown, body_html, score, deleted_at from comments where id = ?').get(comment.id);
    const count = () => (db.prepare('select comment_count from articles where slug = ?').get(SLUG) as { comment_count: number }).comment_count;
    const before = { row: row(), count: count() };

    assert.ok((await service.deleteComment(ada, SLUG, { commentId: comment.id })).ok);
    assert.deepEqual({ ...(row() as object), deleted_at: null }, { ...(before.row as object), status: 'deleted', body_markdown: '', body_html: '' });
    assert.equal(count(), before.count - 1);

    // Only the author may undo; to anyone else there is no such comment.
    assert.equal(((await service.undoDeleteComment(bo, SLUG, { commentId: comment.id })) as { code: string }).code, 'not_found:comment');
    const undone = await service.undoDeleteComment(ada, SLUG, { commentId: comment.id });
    assert.ok(undone.ok, JSON.stringify(undone));
    assert.deepEqual(row(), before.row);
    assert.equal(count(), before.count);
    // Once: the kept copy is used up.
    assert.equal(((await service.undoDeleteComment(ada, SLUG, { commentId: comment.id })) as { code: string }).code, 'gone:comment');
  });

  it('is refused once its time is over, and the text is gone for good', async () => {
    const comment = await post(ada, 'Gone for good');
    assert.ok((await service.deleteComment(ada, SLUG, { commentId: comment.id })).ok);
    const db = getDb().$client;
    db.prepare('update comment_undo set expires_at = ? where comment_id = ?').run(Date.now() - 1, comment.id);
    const late = await service.undoDeleteComment(ada, SLUG, { commentId: comment.id });
    assert.equal(late.ok, false);
    assert.equal((late as { message: string }).message, 'Too late to undo: the comment stays deleted.');
    assert.deepEqual(db.prepare('select status, body_markdown from comments where id = ?').get(comment.id), { status: 'deleted', body_markdown: '' });
    // The next delete clears expired copies: no deleted text outlives its undo by much.
    const next = await post(ada, 'Another');
    assert.ok((await service.deleteComment(ada, SLUG, { commentId: next.id })).ok);
    assert.deepEqual(db.prepare('select count(*) as n from comment_undo where comment_id = ?').get(comment.id), { n: 0 });
  });
});
