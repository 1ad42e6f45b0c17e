import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eraseAccount } from './account-data';
import { closeDb, getDb } from '../index';
import { seedArticles } from '../seed';
import { createTemporaryDatabase } from '../test-db';
import { REJECTED_REASON } from '../enums';
import { decideCommentStatus, editCommentBody, insertComment, restoreDeletedComment, softDeleteComment } from './comment-writes';
import { banUser } from './moderation';
import { purgeRejectedComments } from './purges';
import { ftsMatch, searchArticles, searchComments, SEARCH_PAGE_SIZE, type Snippet } from './search';

/* Search over the FTS5 index, against a real migrated SQLite file: the triggers keep it in step with every write. */
const temp = createTemporaryDatabase();
const db = () => getDb().$client;
let articleId: number;
let otherArticleId: number;
before(() => {
  seedArticles(getDb());
  articleId = db().prepare('select min(id) from articles').pluck().get() as number;
  otherArticleId = Number(
    db()
      .prepare("insert into articles (slug, title, summary, body_markdown, content_hash) values ('second-story', 'A second story', 'Tablets', 'Tablets outsold zeppelins this spring.', 'x')")
      .run().lastInsertRowid,
  );
  db().prepare("insert into users (id, name, email) values ('ada', 'Ada', 'ada@example.com'), ('bo', 'Bo', 'bo@example.com'), ('mod', 'Mo', 'mo@example.com')").run();
});
after(() => {
  closeDb();
  temp.cleanup();
});

function post(text: string, options: { author?: string; article?: number; status?: 'visible' | 'pending' } = {}): number {
  return insertComment({
    articleId: options.article ?? articleId,
    authorId: options.author ?? 'ada',
    parentId: null,
    rootId: null,
    replyToId: null,
    depth: 0,
    questionId: null,
    bodyMarkdown: text,
    bodyHtml: `<p>${text}</p>`,
    status: options.status ?? 'visible',
    clientToken: null,
    notify: false,
  }).id;
}

const found = (...words: string[]) => searchComments(words, {}).hits.map((hit) => hit.id);
const audit = { actorId: 'mod', action: 'comment.reject', targetType: 'comment', targetId: '0' } as const;
const text = (snippet: Snippet) => snippet.map((part) => part.text).join('');

/** FTS5's own check that the index holds exactly what the comments and articles tables hold. */
function assertIndexInStep() {
  db().prepare("insert into comments_fts (comments_fts, rank) values ('integrity-check', 1)").run();
  db().prepare("insert into articles_fts (articles_fts, rank) values ('integrity-check', 1)").run();
}

describe('search over comments', () => {
  it('finds a comment as soon as it is posted, with the article, its author and a highlighted snippet', () => {
    const id = post('The pangolin review came out before the launch event.');
    const [hit, ...rest] = searchComments(['pangolin'], {}).hits;
    assert.equal(rest.length, 0);
    assert.deepEqual({ ...hit, createdAt: undefined, snippet: undefined }, { id, articleSlug: 'xiaomi-q2-2017-smartphone-shipments', articleTitle: hit!.articleTitle, authorName: 'Ada', createdAt: undefined, snippet: undefined });
    assert.ok(hit!.snippet.some((part) => part.hit && part.text.toLowerCase() === 'pangolin'));
    assert.equal(text(hit!.snippet), 'The pangolin review came out before the launch event.');
    assertIndexInStep();
  });

  it('matches every word, in any order, and word forms (porter stemming)', () => {
    const id = post('Walruses were reviewing the quarterly numbers.');
    assert.deepEqual(found('reviewed', 'walruses', 'number'), [id]);
    assert.deepEqual(found('numbers', 'walruses', 'flamingo'), []);
  });

  it('forgets an edited text and finds the new one', () => {
    const id = post('An okapi in the first draft.');
    editCommentBody(id, { markdown: 'A narwhal in the second draft.', html: '<p>A narwhal in the second draft.</p>' }, { userId: 'ada', as: 'author', reason: null }, null);
    assert.deepEqual(found('okapi'), []);
    assert.deepEqual(found('narwhal'), [id]);
    assertIndexInStep();
  });

  it('forgets a deleted comment, and finds it again after "Undo"', () => {
    const id = post('A quokka was here.');
    softDeleteComment(id, 30_000);
    assert.deepEqual(found('quokka'), []);
    assertIndexInStep();
    restoreDeletedComment(id);
    assert.deepEqual(found('quokka'), [id]);
    assertIndexInStep();
  });

  it('never shows a held, rejected or reported-hidden comment, nor one hidden with its banned author', () => {
    const held = post('Held axolotl text.', { status: 'pending' });
    const rejected = post('Rejected axolotl text.');
    decideCommentStatus(rejected, 'hidden', REJECTED_REASON, audit);
    const reported = post('Reported axolotl text.');
    db().prepare("update comments set status = 'hidden', moderation_reason = 'reports' where id = ?").run(reported);
    const banned = post('Banned axolotl text.', { author: 'bo' });
    banUser('bo', { until: null, reason: 'Spam', hideComments: true }, { actorId: 'mod', action: 'user.ban', targetType: 'user', targetId: 'bo' });
    const shown = post('Shown axolotl text.');
    assert.deepEqual(found('axolotl'), [shown]);
    // A held comment a moderator approves is found from then on.
    decideCommentStatus(held, 'visible', null, { ...audit, action: 'comment.approve' });
    assert.deepEqual(found('axolotl'), [held, shown].sort((a, b) => b - a));
    assert.ok(banned);
  });

  it('forgets the words of a comment emptied by the retention job, and of a reader who deleted their account', () => {
    const rejected = post('Rejected capybara words.');
    decideCommentStatus(rejected, 'hidden', REJECTED_REASON, audit);
    purgeRejectedComments(0, Date.now() + 1000);
    db().prepare("insert into users (id, name, email) values ('leaver', 'Lee', 'lee@example.com')").run();
    post('Leaving capybara words.', { author: 'leaver' });
    eraseAccount('leaver', 'remove', null);
    // Not just filtered out: the index itself no longer holds the words (secure-delete).
    assert.equal(db().prepare("select count(*) from comments_fts where comments_fts match 'capybara'").pluck().get(), 0);
    assertIndexInStep();
  });

  it('treats FTS5 syntax as words and never throws on it', () => {
    post('Near the end and not before.');
    for (const words of [['near'], ['and'], ['not'], ['"'], ['or', '*'], ['body_markdown:x'], ['^'], ['a"b']]) {
      assert.doesNotThrow(() => searchComments(words, {}), words.join(' '));
    }
    assert.equal(ftsMatch(['near', 'a"b']), '"near" "a""b"');
    assert.equal(found('near', 'and', 'not').length, 1);
  });

  it('pages newest first with a cursor: no result twice, none left out', () => {
    const ids = Array.from({ length: SEARCH_PAGE_SIZE + 5 }, (_, i) => post(`Marmoset note number ${i}.`));
    const first = searchComments(['marmoset'], {});
    assert.deepEqual(first.hits.map((h) => h.id), ids.slice(-SEARCH_PAGE_SIZE).reverse());
    assert.equal(first.nextAfter, first.hits.at(-1)!.id);
    const second = searchComments(['marmoset'], { after: first.nextAfter });
    assert.deepEqual(second.hits.map((h) => h.id), ids.slice(0, 5).reverse());
    assert.equal(second.nextAfter, null);
  });

  it('searches one discussion when given its article', () => {
    const here = post('Gecko in the first discussion.');
    const there = post('Gecko in the second discussion.', { article: otherArticleId });
    assert.deepEqual(searchComments(['gecko'], { articleId: otherArticleId }).hits.map((h) => h.id), [there]);
    assert.deepEqual(found('gecko'), [there, here]);
  });

  it('returns a comment holding markup as text, never as HTML', () => {
    post('<b>bold</b> <script>alert(1)</script> iguana');
    const [hit] = searchComments(['iguana'], {}).hits;
    assert.ok(text(hit!.snippet).includes('<b>bold</b> <script>alert(1)</script>'));
  });
});

describe('search over articles', () => {
  it('finds an article by words of its title, summary or text, with a snippet', () => {
    const [hit, ...rest] = searchArticles(['zeppelins'], {});
    assert.equal(rest.length, 0);
    assert.equal(hit!.slug, 'second-story');
    assert.ok(hit!.snippet.some((part) => part.hit && part.text === 'zeppelins'));
    assert.deepEqual(searchArticles(['zeppelins'], { articleId }), []);
  });

  it('keeps the index in step when an article changes', () => {
    db().prepare("update articles set body_markdown = 'Dirigibles instead.' where id = ?").run(otherArticleId);
    assert.deepEqual(searchArticles(['zeppelins'], {}), []);
    assert.equal(searchArticles(['dirigibles'], {}).length, 1);
    assertIndexInStep();
  });
});
