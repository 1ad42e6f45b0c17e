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
const insert = (status: string, createdAt: number, extra: { editedAt?: number; deletedAt?: number } = {}) =>
  client()
    .prepare("insert into comments (article_id, author_id, body_markdown, body_html, status, created_at, edited_at, deleted_at) values (?, 'a', 'x', '<p>x</p>', ?, ?, ?, ?)")
    .run(articleId, status, createdAt, extra.editedAt ?? null, extra.deletedAt ?? null);
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

  it('is the newest visible comment’s time once it is newer, and its edit’s time once edited', () => {
    insert('visible', updatedAt + 1_000);
    assert.equal(lastModified(), updatedAt + 1_000);
    insert('visible', updatedAt + 2_000, { editedAt: updatedAt + 5_000 });
    assert.equal(lastModified(), updatedAt + 5_000);
  });

  it('counts a deletion, whose placeholder readers see, and never a comment that only its author or moderators see', () => {
    insert('deleted', updatedAt + 3_000, { deletedAt: updatedAt + 6_000 });
    assert.equal(lastModified(), updatedAt + 6_000);
    for (const status of ['pending', 'hidden', 'rejected']) insert(status, updatedAt + 9_000);
    assert.equal(lastModified(), updatedAt + 6_000);
  });
});
