import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeDb, getDb } from '../index';
import { seedArticles } from '../seed';
import { createTemporaryDatabase } from '../test-db';
import { listArticleChanges } from './articles';

const temp = createTemporaryDatabase();
let articleId: number;
let updatedAt: number;
const client = () => getDb().$client;
const insert = (status: string, createdAt: number) =>
  client().prepare("insert into comments (article_id, author_id, body_markdown, body_html, status, created_at) values (?, 'a', 'x', '<p>x</p>', ?, ?)").run(articleId, status, createdAt);
const lastModified = () => listArticleChanges().find((article) => article.slug === 'xiaomi-q2-2017-smartphone-shipments')?.lastModified.getTime();

before(() => {
  seedArticles(getDb());
  articleId = client().prepare('select min(id) from articles').pluck().get() as number;
  updatedAt = client().prepare('select updated_at from articles where id = ?').pluck().get(articleId) as number;
  client().prepare("insert into users (id, name, email) values ('a', 'Ann', 'a@example.com')").run();
});
after(() => {
  closeDb();
  temp.cleanup();
});

describe('when each article last changed, for the sitemap', () => {
  it('is the article row’s own time while no comment is newer', () => {
    assert.equal(lastModified(), updatedAt);
    insert('visible', updatedAt - 1_000);
    assert.equal(lastModified(), updatedAt);
  });

  it('is the newest visible comment’s time once it is newer', () => {
    insert('visible', updatedAt + 1_000);
    assert.equal(lastModified(), updatedAt + 1_000);
    insert('visible', updatedAt + 2_000);
    assert.equal(lastModified(), updatedAt + 2_000);
  });

  it('never counts a comment readers cannot read: held, hidden, rejected or deleted', () => {
    for (const status of ['pending', 'hidden', 'rejected', 'deleted']) insert(status, updatedAt + 9_000);
    assert.equal(lastModified(), updatedAt + 2_000);
  });

  it('finds the newest comment through the index, without reading every comment', () => {
    const plan = (getDb().$client.prepare('explain query plan select created_at from comments where article_id = ? and status = ? order by id desc limit 1').all(articleId, 'visible') as { detail: string }[]).map((row) => row.detail);
    assert.ok(plan.some((detail) => /comments_article_id_idx/.test(detail)), plan.join('; '));
    assert.ok(!plan.some((detail) => /TEMP B-TREE/.test(detail)), plan.join('; '));
  });
});
