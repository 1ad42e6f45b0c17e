import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeDb, getDb } from '../index';
import { seedArticles } from '../seed';
import { createTemporaryDatabase } from '../test-db';
import { editCommentBody, insertComment, restoreDeletedComment, softDeleteComment } from './comment-writes';
import { listCommentVersions, listEarlierVersions } from './comment-versions';
import { listModerationQueue } from './moderation';

/* The edit history's writes and reads, against a real migrated SQLite file. */
const temp = createTemporaryDatabase();
const db = () => getDb().$client;
let articleId: number;
before(() => {
  seedArticles(getDb());
  articleId = db().prepare('select min(id) from articles').pluck().get() as number;
  db().prepare("insert into users (id, name, email) values ('author', 'Ada', 'ada@example.com'), ('mod', 'Mo', 'mo@example.com')").run();
});
after(() => {
  closeDb();
  temp.cleanup();
});

function newComment(text: string): number {
  return insertComment({
    articleId,
    authorId: 'author',
    parentId: null,
    rootId: null,
    replyToId: null,
    depth: 0,
    questionId: null,
    bodyMarkdown: text,
    bodyHtml: `<p>${text}</p>`,
    status: 'visible',
    clientToken: null,
  }).id;
}

const body = (text: string) => ({ markdown: text, html: `<p>${text}</p>` });
const byAuthor = { userId: 'author', as: 'author' as const, reason: null };
const byModerator = { userId: 'mod', as: 'moderator' as const, reason: 'Removed a phone number' };

describe('comment versions', () => {
  it('an unedited comment has one version: its text, by its author, when it was written', () => {
    const id = newComment('First words');
    const versions = listCommentVersions(id);
    assert.equal(versions.length, 1);
    assert.deepEqual(
      { ...versions[0], writtenAt: undefined },
      { markdown: 'First words', html: '<p>First words</p>', writtenAt: undefined, writtenAs: 'author', reason: null },
    );
    const created = db().prepare('select created_at from comments where id = ?').pluck().get(id) as number;
    assert.equal(versions[0]!.writtenAt.getTime(), created);
  });

  it('every edit keeps the text it replaced, oldest first, with who wrote each and why', () => {
    const id = newComment('One');
    assert.equal(editCommentBody(id, body('Two'), byAuthor, null), true);
    assert.equal(editCommentBody(id, body('Three'), byModerator, null), true);
    const versions = listCommentVersions(id);
    assert.deepEqual(
      versions.map((v) => [v.markdown, v.writtenAs, v.reason]),
      [
        ['One', 'author', null],
        ['Two', 'author', null],
        ['Three', 'moderator', 'Removed a phone number'],
      ],
    );
    const row = db().prepare('select body_markdown, edited_by, edited_as, edit_reason from comments where id = ?').get(id);
    assert.deepEqual(row, { body_markdown: 'Three', edited_by: 'mod', edited_as: 'moderator', edit_reason: 'Removed a phone number' });
    // The second version was written by the first edit: its time is that edit's.
    const stored = db().prepare('select written_at, written_by from comment_versions where comment_id = ? order by id').all(id) as { written_at: number; written_by: string }[];
    assert.deepEqual(stored.map((v) => v.written_by), ['author', 'author']);
    assert.ok(stored[1]!.written_at >= stored[0]!.written_at);
  });

  it('saving the same text again is no edit: no version, no edited time', () => {
    const id = newComment('Unchanged');
    assert.equal(editCommentBody(id, body('Unchanged'), byAuthor, null), false);
    assert.equal(listCommentVersions(id).length, 1);
    assert.equal(db().prepare('select edited_at from comments where id = ?').pluck().get(id), null);
  });

  it('an edit that is held still keeps the version, and the queue shows what it replaced', () => {
    const id = newComment('Before the link');
    editCommentBody(id, body('After [a link](https://example.com)'), byAuthor, 'links');
    assert.equal(db().prepare('select status from comments where id = ?').pluck().get(id), 'pending');
    const queued = listModerationQueue().find((item) => item.id === id);
    assert.deepEqual(queued?.earlier.map((v) => v.markdown), ['Before the link']);
    assert.deepEqual([...listEarlierVersions([id]).keys()], [id]);
  });

  it('an author’s delete removes the versions in its transaction; undo brings back the current text only', () => {
    const id = newComment('Draft one');
    editCommentBody(id, body('Draft two'), byAuthor, null);
    softDeleteComment(id, 60_000);
    assert.equal(db().prepare('select count(*) from comment_versions where comment_id = ?').pluck().get(id), 0);
    assert.deepEqual(listCommentVersions(id), [], 'a deleted comment has no history');
    assert.equal(restoreDeletedComment(id), true);
    assert.deepEqual(
      listCommentVersions(id).map((v) => v.markdown),
      ['Draft two'],
      'the text readers last saw is back; the versions before it are not',
    );
  });

  it('a comment that goes takes its versions with it (cascade)', () => {
    const id = newComment('Short-lived');
    editCommentBody(id, body('Shorter-lived'), byAuthor, null);
    db().prepare('update comments set parent_id = null, reply_to_id = null where id = ?').run(id);
    db().prepare('delete from comments where id = ?').run(id);
    assert.equal(db().prepare('select count(*) from comment_versions where comment_id = ?').pluck().get(id), 0);
  });
});
