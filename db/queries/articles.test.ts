import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeDb, getDb } from '../index';
import { readArticleFiles } from '../content';
import { seedArticles } from '../seed';
import { createTemporaryDatabase } from '../test-db';
import { getArticleBySlug, listArticles } from './articles';

const SLUG = 'xiaomi-q2-2017-smartphone-shipments';
const temp = createTemporaryDatabase();

before(() => {
  seedArticles(getDb());
});
after(() => {
  closeDb();
  temp.cleanup();
});

const count = (table: string) =>
  getDb().$client.prepare(`select count(*) from ${table}`).pluck().get() as number;

describe('article queries', () => {
  it('lists the seeded article with its title, summary and slug', () => {
    assert.deepEqual(listArticles(), [
      {
        slug: SLUG,
        title: 'Xiaomi Ships 23.16 Million Smartphones in Q2 2017, Its Highest Ever Quarterly Shipments',
        summary: readArticleFiles()[0]?.summary,
        commentCount: 0,
      },
    ]);
  });

  it('loads the article with its three questions in position order, and the poll choices', () => {
    const article = getArticleBySlug(SLUG);
    assert.ok(article);
    assert.match(article.bodyMarkdown, /^In a letter addressing his employees/);
    assert.match(article.bodyMarkdown, /Let us know in the comments below!$/);
    assert.equal(article.sourceLabel, 'Press Release');
    assert.equal(article.publishedAt, null, 'the source gives no date, so none is stored');
    assert.deepEqual(
      article.questions.map((q) => [q.position, q.key, q.kind]),
      [
        [1, 'growth', 'open'],
        [2, 'targets', 'poll'],
        [3, 'next-focus', 'open'],
      ],
    );
    assert.deepEqual(article.questions[1]?.choices.map((c) => c.key), ['yes', 'no', 'too-early']);
    assert.deepEqual(article.questions[0]?.choices, []);
  });

  it('returns null for an unknown slug', () => {
    assert.equal(getArticleBySlug('no-such-article'), null);
  });

  it('never selects the whole row: no content hash leaks into the page data', () => {
    const article = getArticleBySlug(SLUG) as Record<string, unknown> | null;
    assert.ok(article);
    assert.equal('contentHash' in article, false);
  });
});

describe('the seed', () => {
  it('running it again neither duplicates nor rewrites an unchanged article', () => {
    const before = { articles: count('articles'), questions: count('questions'), choices: count('question_choices') };
    const result = seedArticles(getDb());
    assert.deepEqual(result, [{ slug: SLUG, changed: false }]);
    assert.deepEqual(
      { articles: count('articles'), questions: count('questions'), choices: count('question_choices') },
      before,
    );
  });

  it('updates a changed article in place, keeping the ids of its questions', () => {
    const original = readArticleFiles()[0];
    assert.ok(original);
    const idsBefore = getArticleBySlug(SLUG)?.questions.map((q) => [q.key, q.id]);
    const reordered = {
      ...original,
      title: 'A corrected title',
      contentHash: 'changed',
      questions: [...original.questions].reverse(),
    };
    assert.deepEqual(seedArticles(getDb(), [reordered]), [{ slug: SLUG, changed: true }]);
    const updated = getArticleBySlug(SLUG);
    assert.equal(updated?.title, 'A corrected title');
    assert.deepEqual(updated?.questions.map((q) => q.key), ['next-focus', 'targets', 'growth']);
    assert.deepEqual(
      updated?.questions.map((q) => [q.key, q.id]).sort(),
      [...(idsBefore ?? [])].sort(),
    );
    assert.equal(count('articles'), 1);

    seedArticles(getDb(), [original]);
    assert.deepEqual(getArticleBySlug(SLUG)?.questions.map((q) => q.key), ['growth', 'targets', 'next-focus']);
  });

  it('removes a question that the content file no longer asks', () => {
    const original = readArticleFiles()[0];
    assert.ok(original);
    seedArticles(getDb(), [{ ...original, contentHash: 'fewer', questions: original.questions.slice(0, 1) }]);
    assert.deepEqual(getArticleBySlug(SLUG)?.questions.map((q) => q.key), ['growth']);
    assert.equal(count('question_choices'), 0, 'the poll choices went with their question');
    seedArticles(getDb(), [original]);
    assert.equal(getArticleBySlug(SLUG)?.questions.length, 3);
  });
});
