import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeDb, getDb } from '../index';
import { seedArticles } from '../seed';
import { createTemporaryDatabase } from '../test-db';
import { decodeCursor, listThreads } from './comment-threads';

const temp = createTemporaryDatabase();
let articleId: number;
const ids: number[] = [];

before(() => {
  seedArticles(getDb());
  const client = getDb().$client;
  articleId = client.prepare('select min(id) from articles').pluck().get() as number;
  client.prepare("insert into users (id, name, email) values ('a', 'Ann', 'a@example.com'), ('b', 'Bo', 'b@example.com')").run();
  const root = client.prepare("insert into comments (article_id, author_id, body_markdown, body_html, created_at) values (?, 'a', 'x', '<p>x</p>', ?) returning id");
  for (let i = 0; i < 25; i += 1) ids.push(root.pluck().get(articleId, 1_000_000 + i) as number);
  const reply = client.prepare("insert into comments (article_id, author_id, parent_id, root_id, depth, body_markdown, body_html, status, created_at) values (?, 'b', ?, ?, 1, 'r', '<p>r</p>', ?, ?)");
  const deleteRoot = client.prepare("update comments set status = 'deleted', body_markdown = '', body_html = '' where id = ?");
  // Deleted with nothing under it: the list draws nothing for it.
  deleteRoot.run(ids[1]);
  // Deleted with a reply: its placeholder stays, for the reply.
  deleteRoot.run(ids[3]);
  reply.run(articleId, ids[3], ids[3], 'visible', 2_000_000);
  // Deleted, with only a reply held for review: drawn for that reply's author alone.
  deleteRoot.run(ids[5]);
  reply.run(articleId, ids[5], ids[5], 'pending', 2_000_001);
});
after(() => {
  closeDb();
  temp.cleanup();
});

describe('a page of threads', () => {
  it('holds the number asked for of threads the list draws, skipping a deleted top comment with nothing shown under it', () => {
    const page = listThreads({ articleId, sort: 'oldest', limit: 20 });
    assert.equal(page.threads.length, 20);
    const listed = page.threads.map((thread) => thread.id);
    assert.ok(!listed.includes(ids[1]!), 'deleted, nothing under it');
    assert.ok(listed.includes(ids[3]!), 'deleted, with a reply');
    assert.ok(!listed.includes(ids[5]!), 'deleted, its only reply held: nothing shown to others');
    const rest = listThreads({ articleId, sort: 'oldest', limit: 20, cursor: decodeCursor(page.nextCursor) });
    assert.equal(rest.threads.length, 25 - 2 - 20);
    assert.equal(rest.nextCursor, null);
  });

  it('shows the held reply’s author the thread it hangs from', () => {
    const listed = listThreads({ articleId, sort: 'oldest', limit: 30, viewerId: 'b' }).threads.map((thread) => thread.id);
    assert.ok(listed.includes(ids[5]!));
    assert.equal(listed.length, 24);
  });
});
