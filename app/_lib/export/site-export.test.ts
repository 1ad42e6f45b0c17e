import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { closeDb, getDb } from '@/db/index';
import { seedArticles } from '@/db/seed';
import { createTemporaryDatabase } from '@/db/test-db';
import { editCommentBody, insertComment, reportComment, toggleVote } from '@/db/queries/comment-writes';
import { castStance, getPollTarget } from '@/db/queries/polls';
import { insertSession } from '@/db/queries/sessions';
import { listThreads } from '@/db/queries/comment-threads';
import { searchArticles, searchComments } from '@/db/queries/search';
import { renderMarkdown } from '../content/markdown';
import { importComments } from '../import/importer';
import { readWordPress } from '../import/sources';
import { ImportError } from '../import/xml-stream';
import { writeSiteExport } from './site-export';
import { importSiteExport } from './site-import';
import { writeWxrExport } from './wxr-export';

const SLUG = 'xiaomi-q2-2017-smartphone-shipments';
const WXR = path.join(process.cwd(), 'e2e/fixtures/import/wordpress.xml');
const first = createTemporaryDatabase();
const folder = first.folder;
const raw = () => getDb().$client;
const PASSWORD_HASH = 'scrypt$16384$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA';
const SESSION_ID = 'session-id-that-must-not-leave';

/** Points the process at another fresh database file (migrated on first use). */
function useDatabase(name: string) {
  closeDb();
  process.env.DATABASE_PATH = path.join(folder, name);
}
const count = (table: string) => raw().prepare(`select count(*) from ${table}`).pluck().get() as number;
const withoutTime = (file: string) => fs.readFileSync(file, 'utf8').replace(/"exportedAt": "[^"]+"/, '"exportedAt": ""');

before(() => {
  seedArticles(getDb());
  const articleId = raw().prepare('select id from articles where slug = ?').pluck().get(SLUG) as number;
  raw()
    .prepare("insert into users (id, name, email, emailVerified, password_hash, role, created_at) values ('ann', 'Ann Lee', 'ann@example.com', 1, ?, 'moderator', 1000), ('bo', 'Bo', 'bo@example.com', null, null, 'reader', 2000)")
    .run(PASSWORD_HASH);
  insertSession({ id: SESSION_ID, userId: 'ann', method: 'password', userAgent: 'Firefox', network: '203.0.113.0/24' });
  importComments({ format: 'wordpress', file: WXR });
  const post = (authorId: string, body: string, parent?: { id: number; rootId: number; depth: number }, questionId: number | null = null) =>
    insertComment({
      articleId,
      authorId,
      parentId: parent?.id ?? null,
      rootId: parent?.rootId ?? null,
      replyToId: null,
      depth: parent ? parent.depth + 1 : 0,
      questionId,
      bodyMarkdown: body,
      bodyHtml: renderMarkdown(body),
      status: 'visible',
      clientToken: null,
      notify: false,
    }).id;
  const growth = raw().prepare("select id from questions where key = 'growth'").pluck().get() as number;
  const answer = post('ann', 'Growth comes from **India**.\n\nSecond paragraph with https://example.com', undefined, growth);
  const reply = post('bo', 'Agreed.', { id: answer, rootId: answer, depth: 0 }, growth);
  editCommentBody(reply, { markdown: 'Agreed, mostly.', html: renderMarkdown('Agreed, mostly.') }, { userId: 'bo', as: 'author', reason: null }, null);
  toggleVote(answer, 'bo');
  const wp = raw().prepare("select id from comments where source_id = '101'").pluck().get() as number;
  toggleVote(wp, 'ann');
  reportComment({ commentId: reply, userId: 'ann', reason: 'off-topic', details: 'not about growth', threshold: 99, reporterMinAgeMs: 0 });
  const target = getPollTarget(articleId, 'targets', 'too-early')!;
  castStance(target.questionId, 'bo', target.choiceId!);
});
after(() => {
  closeDb();
  first.cleanup();
});

describe('the site export', () => {
  it('survives the round trip: export, import into an empty database, export again gives the same file but for its time', () => {
    const a = path.join(folder, 'a.json');
    writeSiteExport(a);
    useDatabase('empty.db');
    assert.equal(count('articles'), 0);
    const report = importSiteExport(a);
    assert.match(report.text, /1 new article\(s\), 2 new reader\(s\), \d+ new guest author\(s\)/);
    const b = path.join(folder, 'b.json');
    writeSiteExport(b);
    assert.equal(withoutTime(b), withoutTime(a));
    assert.notEqual(fs.readFileSync(a, 'utf8'), withoutTime(a), 'the export time is there');

    // The counters are rebuilt too, not just the rows.
    assert.equal(raw().prepare('select comment_count from articles').pluck().get(), 10);
    assert.equal(raw().prepare("select answer_count from questions where key = 'growth'").pluck().get(), 1);
    assert.equal(raw().prepare("select vote_count from question_choices where key = 'too-early'").pluck().get(), 1);
    assert.deepEqual(raw().prepare('select score from comments where score > 0').pluck().all(), [1, 1]);
    const threads = listThreads({ articleId: raw().prepare('select id from articles').pluck().get() as number, sort: 'oldest', limit: 50 }).threads;
    assert.deepEqual(
      threads.find((t) => t.authorName === 'Ann Lee')?.replies.map((r) => [r.authorName, r.markdown, r.editedAt !== null]),
      [['Bo', 'Agreed, mostly.', true]],
    );

    // Search finds what came in (the comments' index is rebuilt at the end of the import, the
    // articles' kept by its triggers), and the triggers are back for what is posted next.
    raw().prepare("insert into comments_fts (comments_fts, rank) values ('integrity-check', 1)").run();
    raw().prepare("insert into articles_fts (articles_fts, rank) values ('integrity-check', 1)").run();
    assert.deepEqual(searchComments(['impressive'], {}).hits.map((hit) => hit.id), [raw().prepare("select id from comments where source_id = '101'").pluck().get()]);
    assert.deepEqual(searchArticles(['xiaomi'], {}).map((hit) => hit.slug), [SLUG]);
    assert.deepEqual(
      raw().prepare("select name from sqlite_master where type = 'trigger' and tbl_name = 'comments' order by name").pluck().all(),
      ['comments_fts_delete', 'comments_fts_insert', 'comments_fts_update'],
    );
  });

  it('importing the same file again adds nothing, here and in the database it came from', () => {
    const a = path.join(folder, 'a.json');
    const before = ['comments', 'users', 'guest_authors', 'comment_votes', 'comment_versions'].map(count);
    assert.match(importSiteExport(a).text, /0 comment\(s\) imported, \d+ already here/);
    assert.deepEqual(['comments', 'users', 'guest_authors', 'comment_votes', 'comment_versions'].map(count), before);
    useDatabase('test.db');
    const original = ['comments', 'users', 'guest_authors'].map(count);
    assert.match(importSiteExport(a).text, /0 comment\(s\) imported/);
    assert.deepEqual(['comments', 'users', 'guest_authors'].map(count), original);
  });

  it('holds versions, votes, stances, reports and guest authors, and no password hash, session, token or IP', () => {
    const text = fs.readFileSync(path.join(folder, 'a.json'), 'utf8');
    const data = JSON.parse(text);
    assert.equal(data.format, 'blog-site-export');
    assert.equal(data.version, 1);
    assert.deepEqual(Object.keys(data), ['format', 'version', 'exportedAt', 'articles', 'readers', 'guestAuthors', 'comments', 'votes', 'stances', 'reports']);
    assert.equal(data.comments.find((c: { bodyMarkdown: string }) => c.bodyMarkdown === 'Agreed, mostly.').versions[0].bodyMarkdown, 'Agreed.');
    assert.equal(data.votes.length, 2);
    assert.deepEqual(data.stances.map((s: { choice: string }) => s.choice), ['too-early']);
    assert.equal(data.reports[0].reason, 'off-topic');
    assert.ok(data.guestAuthors.some((g: { name: string; email: string }) => g.name === 'Zoë Müller' && g.email === 'zoe.muller@example.com'));
    assert.ok(data.comments.some((c: { key: string }) => c.key === 'wordpress:101'));
    for (const secret of [PASSWORD_HASH, SESSION_ID, '203.0.113', '198.51.100', 'password_hash', 'passwordHash', 'sessionToken']) assert.ok(!text.includes(secret), secret);
  });

  it('a file that is not a site export is refused with what is wrong, writing nothing', () => {
    const before = count('comments');
    const write = (name: string, content: string) => {
      const file = path.join(folder, name);
      fs.writeFileSync(file, content);
      return file;
    };
    assert.throws(() => importSiteExport(write('bad.json', '{\n  "format": "blog-site-export",\n  oops\n}')), (e: unknown) => e instanceof ImportError && /bad.json, line 3: not JSON/.test(e.message));
    assert.throws(() => importSiteExport(write('other.json', '{"format": "something-else"}')), /not a site export of format blog-site-export version 1: at format/);
    assert.throws(() => importSiteExport(write('zero.json', '')), /empty \(0 bytes\)/);
    assert.equal(count('comments'), before);
  });

  it('--dry-run reports and writes nothing', () => {
    useDatabase('dry.db');
    const report = importSiteExport(path.join(folder, 'a.json'), { dryRun: true });
    assert.match(report.text, /^Dry run \(nothing written\)/);
    assert.equal(count('comments') + count('articles') + count('users'), 0);
    useDatabase('test.db');
  });
});

describe('the WXR export', () => {
  it('writes well-formed WXR with the threads, which the WordPress importer reads back into another blog', () => {
    const file = path.join(folder, 'out.xml');
    const summary = writeWxrExport(file);
    assert.equal(summary.comments, count('comments'));
    const comments: { parent: string | null; state: string; author: string; html: string }[] = [];
    readWordPress(file, { thread: () => {}, comment: (c) => void comments.push({ parent: c.parentSourceId, state: c.state, author: c.authorName, html: c.html }) });
    assert.equal(comments.length, summary.comments);
    assert.ok(comments.some((c) => c.author === '李雷' && c.parent !== null));
    assert.ok(comments.some((c) => c.html.includes('<strong>India</strong>')));

    useDatabase('from-wxr.db');
    seedArticles(getDb());
    const report = importComments({ format: 'wordpress', file });
    assert.equal(report.articles.get(SLUG)?.imported, 11, 'ten visible and one held');
    assert.equal(report.unmapped.size, 0);
    const c104 = raw().prepare("select c.depth, r.body_markdown as replying from comments c join comments r on r.id = c.reply_to_id where c.body_markdown like 'Four levels%'").get();
    assert.deepEqual(c104, { depth: 2, replying: 'And India: Redmi 4A sold out in minutes.' });
    useDatabase('test.db');
  });
});
