import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { closeDb, getDb } from '@/db/index';
import { seedArticles } from '@/db/seed';
import { createTemporaryDatabase } from '@/db/test-db';
import { listThreads } from '@/db/queries/comment-threads';
import { insertComment } from '@/db/queries/comment-writes';
import { searchComments } from '@/db/queries/search';
import { claimableComments, claimGuestComments } from '@/db/queries/guest-authors';
import { importComments, type ImportOptions } from './importer';
import { formatReport } from './report';
import { parseMappings } from './mapping';
import { ImportError } from './xml-stream';

const FIXTURES = path.join(process.cwd(), 'e2e/fixtures/import');
const WXR = path.join(FIXTURES, 'wordpress.xml');
const DISQUS = path.join(FIXTURES, 'disqus.xml');
const SLUG = 'xiaomi-q2-2017-smartphone-shipments';

const temp = createTemporaryDatabase();
const raw = () => getDb().$client;
let articleId: number;

/** Every table's row count and the counters: what "nothing changed" compares. */
function snapshot() {
  const tables = raw().prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'").pluck().all() as string[];
  return {
    rows: Object.fromEntries(tables.map((t) => [t, raw().prepare(`select count(*) from "${t}"`).pluck().get()])),
    counts: raw().prepare('select id, comment_count from articles order by id').all(),
    answers: raw().prepare('select id, answer_count from questions order by id').all(),
  };
}

function wipe() {
  raw().exec('delete from notifications; delete from discussion_subscriptions; delete from comments; delete from guest_authors; delete from users; update articles set comment_count = 0; update questions set answer_count = 0');
}

const run = (options: Partial<ImportOptions> & Pick<ImportOptions, 'format' | 'file'>) => importComments(options);

type Row = { id: number; source_id: string; parent_id: number | null; root_id: number; reply_to_id: number | null; depth: number; status: string; body_html: string; body_markdown: string; created_at: number; author_id: string; moderation_reason: string | null };
const bySourceId = (sourceId: string): Row => raw().prepare('select * from comments where source_id = ?').get(sourceId) as Row;

before(() => {
  seedArticles(getDb());
  articleId = raw().prepare('select id from articles where slug = ?').pluck().get(SLUG) as number;
});
after(() => {
  closeDb();
  temp.cleanup();
});

describe('importing a WordPress export', () => {
  beforeEach(wipe);

  it('imports approved comments as visible and pending ones held, skipping spam, trash and pingbacks; the report counts each', () => {
    const report = run({ format: 'wordpress', file: WXR });
    const counts = report.articles.get(SLUG);
    // 101-104, 105 (held), 109 (orphan), the id-less one, 110, 111.
    assert.deepEqual(counts, { imported: 9, held: 1, duplicates: 0, spamOrTrash: 2, deleted: 0, pingbacks: 1, orphans: 1, empty: 0 });
    assert.deepEqual([...report.unmapped], [['https://oldblog.example/2017/09/redmi-note-5-launch/', { comments: 2, why: 'no article with that path or slug' }]]);
    assert.equal(report.missingIds, 1);
    assert.equal(bySourceId('105').status, 'pending');
    assert.equal(bySourceId('105').moderation_reason, 'imported');
    for (const skipped of ['106', '107', '108', '201', '202']) assert.equal(bySourceId(skipped), undefined, skipped);
    const printed = formatReport(report);
    assert.match(printed, /article\s+imported\s+held\s+duplicates\s+spam\/trash\s+deleted\s+pingbacks\s+orphans\s+empty/);
    assert.match(printed, new RegExp(`${SLUG}\\s+9\\s+1\\s+0\\s+2\\s+0\\s+1\\s+1\\s+0`));
    assert.match(printed, /unmapped: 2 comment\(s\) in 1 thread\(s\), skipped/);
  });

  it('keeps replies under their parents, attaches the fourth level at the deepest one naming whom it answers, and makes an orphan a thread', () => {
    run({ format: 'wordpress', file: WXR });
    const [c101, c102, c103, c104] = ['101', '102', '103', '104'].map(bySourceId) as [Row, Row, Row, Row];
    assert.deepEqual([c101.depth, c102.parent_id, c102.depth, c103.parent_id, c103.depth], [0, c101.id, 1, c102.id, 2]);
    assert.deepEqual([c104.parent_id, c104.reply_to_id, c104.depth, c104.root_id], [c102.id, c103.id, 2, c101.id]);
    const orphan = bySourceId('109');
    assert.deepEqual([orphan.parent_id, orphan.depth, orphan.root_id], [null, 0, orphan.id]);
    // A reply listed before its parent still hangs from it.
    assert.equal(bySourceId('110').parent_id, bySourceId('111').id);
    assert.equal(bySourceId('110').root_id, bySourceId('111').id);

    const thread = listThreads({ articleId, sort: 'oldest', limit: 20 }).threads.find((t) => t.id === c101.id)!;
    assert.deepEqual(
      thread.replies.map((r) => [r.authorName, r.replyTo?.authorName ?? null]),
      [
        ['李雷', null],
        ['Ana Lucía Peña', null],
        ['Zoë Müller', 'Ana Lucía Peña'],
      ],
    );
  });

  it('sanitizes the HTML with the comment rules (no script, no handlers, links ugc nofollow) and keeps the UTC date', () => {
    run({ format: 'wordpress', file: WXR });
    const c = bySourceId('101');
    assert.doesNotMatch(c.body_html, /script|onclick|onerror|javascript:|<img/i);
    assert.match(c.body_html, /<a href="https:\/\/www.idc.com\/" rel="ugc nofollow noopener noreferrer">IDC's numbers<\/a>/);
    assert.match(c.body_html, /^<p>Impressive quarter for the Mi 6\.<br \/>/);
    assert.equal(new Date(c.created_at).toISOString(), '2017-08-02T10:15:00.000Z');
    assert.match(c.body_markdown, /^Impressive quarter for the Mi 6\.\nIDC's numbers agree\.\n\nSecond paragraph/);
  });

  it('counts the visible comments on the article, as posting does', () => {
    run({ format: 'wordpress', file: WXR });
    const visible = raw().prepare("select count(*) from comments where article_id = ? and status = 'visible'").pluck().get(articleId);
    assert.equal(visible, 8);
    assert.equal(raw().prepare('select comment_count from articles where id = ?').pluck().get(articleId), 8);
  });

  it('imports authors as guests: one per address, the email kept apart, no password, no email on the name row', () => {
    run({ format: 'wordpress', file: WXR });
    assert.equal(bySourceId('101').author_id, bySourceId('104').author_id, 'same address, differently cased');
    const guests = raw().prepare('select u.name, u.email, u.password_hash, g.email as private from guest_authors g join users u on u.id = g.user_id order by u.name').all() as { name: string; email: null; password_hash: null; private: string | null }[];
    assert.ok(guests.every((g) => g.email === null && g.password_hash === null));
    assert.equal(guests.find((g) => g.name === 'Zoë Müller')?.private, 'zoe.muller@example.com');
    assert.equal(raw().prepare('select count(*) from accounts').pluck().get(), 0);
    const page = JSON.stringify(listThreads({ articleId, sort: 'oldest', limit: 50 }));
    assert.doesNotMatch(page, /@example|203\.0\.113|198\.51\.100/, 'no email or IP in what pages draw');
  });

  it('is idempotent: the second run adds nothing and reports every comment as a duplicate', () => {
    run({ format: 'wordpress', file: WXR });
    const before = snapshot();
    const again = run({ format: 'wordpress', file: WXR });
    assert.deepEqual(snapshot(), before);
    assert.equal(again.articles.get(SLUG)?.imported, 0);
    assert.equal(again.articles.get(SLUG)?.duplicates, 9);
  });

  it('--include-spam holds spam and trash for review instead of skipping them', () => {
    const report = run({ format: 'wordpress', file: WXR, includeSpam: true });
    assert.equal(report.articles.get(SLUG)?.spamOrTrash, 0);
    assert.equal(bySourceId('106').status, 'pending');
    assert.equal(bySourceId('106').moderation_reason, 'imported-spam');
    assert.equal(bySourceId('107').moderation_reason, 'imported-trash');
  });

  it('--dry-run reports the same and writes nothing', () => {
    const before = snapshot();
    const report = run({ format: 'wordpress', file: WXR, dryRun: true });
    assert.deepEqual(snapshot(), before);
    assert.equal(report.articles.get(SLUG)?.imported, 9);
    assert.match(formatReport(report), /^Dry run \(nothing written\)/);
  });

  it('--map attaches an unmapped thread to a chosen article; a map to an unknown slug is refused first', () => {
    const map = parseMappings(['/2017/09/redmi-note-5-launch/=' + SLUG], null);
    const report = run({ format: 'wordpress', file: WXR, map });
    assert.equal(report.unmapped.size, 0);
    assert.equal(report.articles.get(SLUG)?.imported, 11);
    const before = snapshot();
    assert.throws(() => run({ format: 'wordpress', file: WXR, map: parseMappings(['https://oldblog.example/x=nope'], null) }), /no article with the slug "nope"/);
    assert.deepEqual(snapshot(), before);
    assert.throws(() => parseMappings([], { name: 'map.txt', text: '# old=new\nbroken line\n' }), /map.txt, line 2: "broken line" is not OLD_URL_OR_PATH=slug/);
  });

  it('leaves a thread unmapped when its path and slug name two different articles', () => {
    raw().prepare("insert into articles (slug, title, summary, body_markdown, content_hash) values ('redmi-note-5-launch', 'R', 's', 'b', 'h')").run();
    try {
      const file = path.join(temp.folder, 'ambiguous.xml');
      fs.writeFileSync(file, fs.readFileSync(WXR, 'utf8').replace('<wp:post_name><![CDATA[redmi-note-5-launch]]>', `<wp:post_name><![CDATA[${SLUG}]]>`));
      const report = run({ format: 'wordpress', file });
      assert.match(report.unmapped.get('https://oldblog.example/2017/09/redmi-note-5-launch/')?.why ?? '', /ambiguous/);
    } finally {
      raw().prepare("delete from articles where slug = 'redmi-note-5-launch'").run();
    }
  });

  it('a comment with nothing left after sanitizing is counted empty, and its reply listed before it becomes an orphan', () => {
    const file = path.join(temp.folder, 'script-only.xml');
    fs.writeFileSync(file, fs.readFileSync(WXR, 'utf8').replace('The parent, listed after its reply.', '<script>alert(1)</script>'));
    const report = run({ format: 'wordpress', file });
    assert.equal(report.articles.get(SLUG)?.empty, 1);
    assert.equal(report.articles.get(SLUG)?.orphans, 2);
    assert.equal(bySourceId('111'), undefined);
    const reply = bySourceId('110');
    assert.deepEqual([reply.parent_id, reply.root_id, reply.depth], [null, reply.id, 0]);
  });

  it('mails no subscriber about imported comments: cursors move past them, and a real comment not yet mailed still is', () => {
    raw().prepare("insert into users (id, name, email, emailVerified) values ('sub', 'Sub', 'sub@example.com', 1), ('late', 'Late', 'late-sub@example.com', 1), ('w', 'Writer', 'w@example.com', 1)").run();
    const real = raw().prepare("insert into comments (article_id, author_id, body_markdown, body_html) values (?, 'w', 'real', '<p>real</p>') returning id").pluck().get(articleId) as number;
    raw().prepare('insert into discussion_subscriptions (user_id, article_id, last_comment_id) values (?, ?, ?), (?, ?, ?)').run('sub', articleId, real, 'late', articleId, real - 1);
    run({ format: 'wordpress', file: WXR });
    const last = raw().prepare('select max(id) from comments').pluck().get();
    assert.deepEqual(raw().prepare('select user_id, last_comment_id from discussion_subscriptions order by user_id').raw().all(), [['late', last], ['sub', last]]);
    assert.deepEqual(raw().prepare('select recipient_id, reason, comment_id from notifications').raw().all(), [['late', 'discussion', real]]);
    raw().exec("delete from notifications; delete from discussion_subscriptions");
  });

  it('a failure halfway through leaves the database as it was (one transaction)', () => {
    raw().exec("create trigger fail_import before insert on comments when new.source_id = '110' begin select raise(abort, 'disk full'); end");
    try {
      const before = snapshot();
      assert.throws(() => run({ format: 'wordpress', file: WXR }), /disk full/);
      assert.deepEqual(snapshot(), before);
    } finally {
      raw().exec('drop trigger fail_import');
    }
  });

  it('attributes comments to an existing account with the same verified email, and lets a reader claim a guest’s comments', () => {
    raw().prepare("insert into users (id, name, email, emailVerified) values ('ana', 'Ana', 'ana@example.es', 1)").run();
    raw().prepare("insert into users (id, name, email) values ('zoe', 'Zoe', 'zoe.muller@example.com')").run();
    run({ format: 'wordpress', file: WXR });
    assert.equal(bySourceId('103').author_id, 'ana');
    // Zoë's address is not verified yet: nothing to claim.
    assert.deepEqual(claimableComments('zoe'), { comments: 0, names: [] });
    assert.equal(claimGuestComments('zoe').moved, 0);
    raw().prepare("update users set emailVerified = 1 where id = 'zoe'").run();
    assert.deepEqual(claimableComments('zoe'), { comments: 2, names: ['Zoë Müller'] });
    const before = snapshot().counts;
    assert.deepEqual(claimGuestComments('zoe'), { moved: 2, articleIds: [articleId] });
    assert.equal(bySourceId('101').author_id, 'zoe');
    assert.equal(bySourceId('104').author_id, 'zoe');
    assert.equal(raw().prepare("select count(*) from guest_authors where email = 'zoe.muller@example.com'").pluck().get(), 0);
    assert.deepEqual(snapshot().counts, before);
  });
});

describe('the search index after an import', () => {
  beforeEach(wipe);

  /** The triggers that keep the search index in step with the comments, as the migration made them. */
  const indexTriggers = () => raw().prepare("select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'comments' order by name").all();
  const triggersBefore = () => {
    const triggers = indexTriggers();
    assert.deepEqual(
      (triggers as { name: string }[]).map((t) => t.name),
      ['comments_fts_delete', 'comments_fts_insert', 'comments_fts_update'],
    );
    return triggers;
  };
  /** FTS5's own check that the index holds exactly the comments' text, no more, no less. */
  const assertIndexInStep = () => raw().prepare("insert into comments_fts (comments_fts, rank) values ('integrity-check', 1)").run();
  const found = (word: string) => searchComments([word], {}).hits.map((hit) => hit.id);
  /** A comment posted the ordinary way after the import: the triggers must index it. */
  const postAfter = () => {
    raw().prepare("insert or ignore into users (id, name, email) values ('later', 'Later', 'later@example.com')").run();
    return insertComment({
      articleId,
      authorId: 'later',
      parentId: null,
      rootId: null,
      replyToId: null,
      depth: 0,
      questionId: null,
      bodyMarkdown: 'Posted afterwards about zeppelins.',
      bodyHtml: '<p>Posted afterwards about zeppelins.</p>',
      status: 'visible',
      clientToken: null,
      notify: false,
    }).id;
  };

  it('indexes every imported comment for search, keeps its triggers, and indexes what is posted afterwards', () => {
    const triggers = triggersBefore();
    run({ format: 'wordpress', file: WXR });
    assertIndexInStep();
    assert.deepEqual(found('impressive'), [bySourceId('101').id]);
    assert.deepEqual(found('tuesday'), [bySourceId('104').id]);
    assert.deepEqual(indexTriggers(), triggers);
    const later = postAfter();
    assert.deepEqual(found('zeppelins'), [later]);
    assertIndexInStep();
  });

  it('stays in step when the same file is imported again, and over a second import adding to the first', () => {
    run({ format: 'wordpress', file: WXR });
    const later = postAfter();
    run({ format: 'wordpress', file: WXR });
    run({ format: 'disqus', file: DISQUS });
    assertIndexInStep();
    assert.deepEqual(found('impressive'), [bySourceId('101').id]);
    assert.deepEqual(found('zeppelins'), [later]);
  });

  it('an import that fails halfway, or a dry run, leaves the index and its triggers as they were', () => {
    const triggers = triggersBefore();
    raw().exec("create trigger fail_import before insert on comments when new.source_id = '110' begin select raise(abort, 'disk full'); end");
    try {
      assert.throws(() => run({ format: 'wordpress', file: WXR }), /disk full/);
    } finally {
      raw().exec('drop trigger fail_import');
    }
    assert.deepEqual(indexTriggers(), triggers);
    assertIndexInStep();
    assert.deepEqual(found('impressive'), []);
    run({ format: 'wordpress', file: WXR, dryRun: true });
    assert.deepEqual(indexTriggers(), triggers);
    assertIndexInStep();
    assert.deepEqual(found('impressive'), []);
    const later = postAfter();
    assert.deepEqual(found('zeppelins'), [later]);
    assertIndexInStep();
  });
});

describe('importing a Disqus export', () => {
  beforeEach(wipe);

  it('skips isDeleted, holds isSpam, keeps posts without ids, and reports orphans and unmapped threads', () => {
    const report = run({ format: 'disqus', file: DISQUS });
    // 9001-9004, 9005 (held), 9007 (orphan), the id-less post.
    assert.deepEqual(report.articles.get(SLUG), { imported: 7, held: 1, duplicates: 0, spamOrTrash: 0, deleted: 1, pingbacks: 0, orphans: 1, empty: 0 });
    assert.equal(bySourceId('9005').status, 'pending');
    assert.equal(bySourceId('9006'), undefined);
    assert.equal(bySourceId('9007').parent_id, null);
    assert.deepEqual([...report.unmapped.keys()], ['https://oldblog.example/2017/09/redmi-note-5-launch/', 'a thread with no id']);
    assert.equal(report.missingIds, 1);
    const idless = raw().prepare("select source_id from comments where body_html like '%without any id%'").pluck().get() as string;
    assert.match(idless, /^sha1:[0-9a-f]{40}$/);
    const [a, b, c, d] = ['9001', '9002', '9003', '9004'].map(bySourceId) as [Row, Row, Row, Row];
    assert.deepEqual([b.parent_id, c.parent_id, d.parent_id, d.reply_to_id, d.depth], [a.id, b.id, b.id, c.id, 2]);
    assert.doesNotMatch(a.body_html, /script|onmouseover/);
    assert.equal(new Date(a.created_at).toISOString(), '2017-08-02T10:20:00.000Z');
  });

  it('a second run finds everything, including the post without an id', () => {
    run({ format: 'disqus', file: DISQUS });
    const before = snapshot();
    const again = run({ format: 'disqus', file: DISQUS });
    assert.deepEqual(snapshot(), before);
    assert.equal(again.articles.get(SLUG)?.duplicates, 7);
  });

  it('a later export with new replies to comments imported earlier places them under those', () => {
    run({ format: 'disqus', file: DISQUS });
    const file = path.join(temp.folder, 'later.xml');
    const reply = `<post dsq:id="9100"><id/><message><![CDATA[<p>Years later.</p>]]></message><createdAt>2019-01-01T00:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam><author><email>new@example.org</email><name>Newcomer</name></author><thread dsq:id="5001"/><parent dsq:id="9002"/></post>`;
    fs.writeFileSync(file, fs.readFileSync(DISQUS, 'utf8').replace(/<post dsq:id="9001">[\s\S]*<\/disqus>/, `${reply}</disqus>`));
    run({ format: 'disqus', file });
    assert.equal(bySourceId('9100').parent_id, bySourceId('9002').id);
    assert.equal(bySourceId('9100').depth, 2);
  });
});

describe('refusing bad files, writing nothing', () => {
  const write = (name: string, content: string | Buffer) => {
    const file = path.join(temp.folder, name);
    fs.writeFileSync(file, content);
    return file;
  };
  const refused = (format: 'wordpress' | 'disqus', file: string, message: RegExp) => {
    const before = snapshot();
    assert.throws(() => run({ format, file }), (error: unknown) => {
      assert.ok(error instanceof ImportError, String(error));
      assert.match(error.message, message);
      return true;
    });
    assert.deepEqual(snapshot(), before);
  };

  it('a 0-byte file', () => refused('wordpress', write('empty.xml', ''), /empty \(0 bytes\)/));
  it('a file that is not XML', () => refused('wordpress', write('notes.txt', 'Just some notes\nabout comments\n'), /line 1: not XML: it starts with "Just some notes"/));
  it('a Disqus file given as WordPress, and the other way round', () => {
    refused('wordpress', DISQUS, /line 2: this is a Disqus export, not a WordPress \(WXR\) export.*npm run import -- disqus FILE/);
    refused('disqus', WXR, /line 9: this is a WordPress \(WXR\) export, not a Disqus export/);
  });
  it('a truncated file', () => {
    const text = fs.readFileSync(WXR, 'utf8');
    refused('wordpress', write('cut.xml', text.slice(0, text.indexOf('<wp:comment_id>104'))), /line \d+: the file ends too early \(truncated\?\)/);
  });
  it('invalid UTF-8, with its line', () => {
    const bytes = Buffer.concat([Buffer.from(fs.readFileSync(WXR, 'utf8').split('\n').slice(0, 40).join('\n') + '\n'), Buffer.from([0xc3, 0x28]), Buffer.from('\n</rss>')]);
    refused('wordpress', write('latin1.xml', bytes), /line 41: invalid UTF-8/);
  });
  it('an XML bomb (entity expansion), refused with memory bounded', () => {
    const entities = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`)];
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE rss [\n${entities.join('\n')}\n]>\n<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><wp:comment><wp:comment_content>&lol9;</wp:comment_content></wp:comment></item></channel></rss>`;
    const rss = process.memoryUsage().rss;
    refused('wordpress', write('bomb.xml', bomb), /line 13: the file declares a DOCTYPE.*refused/);
    assert.ok(process.memoryUsage().rss - rss < 50 << 20);
  });
  it('one giant text node', () => {
    const file = write('giant.xml', `<rss xmlns:wp="x"><channel><item><wp:comment><wp:comment_content>${'a'.repeat(9 << 20)}</wp:comment_content></wp:comment></item></channel></rss>`);
    refused('wordpress', file, /larger than 8 MB; refused/);
  });
});
