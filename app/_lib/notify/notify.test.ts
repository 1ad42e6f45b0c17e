import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { closeDb, getDb } from '@/db/index';
import { decideCommentStatus, insertComment, softDeleteComment } from '@/db/queries/comment-writes';
import { muteThread, pendingReaderThreads, subscribe, unsubscribe } from '@/db/queries/notifications';
import { createPasswordUser } from '@/db/queries/users';
import { seedArticles } from '@/db/seed';
import { createTemporaryDatabase } from '@/db/test-db';
import { dueAt, runNotifyPass, type NotifyConfig } from './notify';
import { readUnsubscribeToken, unsubscribeToken } from './token';

const temp = createTemporaryDatabase();
const raw = () => getDb().$client;
const SECRET = 'test-secret-0123456789-0123456789-abcdef';
const config: NotifyConfig = { delayMs: 60_000, batchMs: 10 * 60_000, origin: 'https://news.example', secret: SECRET, adminEmails: [] };
let articleId = 0;
let serial = 0;

before(() => {
  seedArticles(getDb());
  articleId = raw().prepare('select id from articles order by id limit 1').pluck().get() as number;
});
beforeEach(() => {
  raw().exec('delete from mail_outbox; delete from notifications; delete from notify_state; delete from discussion_subscriptions');
});
after(() => {
  closeDb();
  temp.cleanup();
});

function reader(options: { verified?: boolean; role?: string } = {}): { id: string; email: string } {
  serial += 1;
  const email = `r${serial}@example.test`;
  const { id } = createPasswordUser({ name: `Reader ${serial}`, email, passwordHash: 'x' });
  if (options.verified !== false) raw().prepare('update users set emailVerified = ? where id = ?').run(Date.now(), id);
  if (options.role) raw().prepare('update users set role = ? where id = ?').run(options.role, id);
  return { id, email };
}

function post(authorId: string, parent: { id: number; rootId: number } | null, body = 'A comment', status: 'visible' | 'pending' = 'visible') {
  const { id } = insertComment({
    articleId,
    authorId,
    parentId: parent?.id ?? null,
    rootId: parent?.rootId ?? null,
    replyToId: null,
    depth: parent ? 1 : 0,
    questionId: null,
    bodyMarkdown: body,
    bodyHtml: `<p>${body}</p>`,
    status,
    clientToken: null,
  });
  return { id, rootId: parent?.rootId ?? id };
}

type Mail = { kind: string; to: string; subject: string; text: string; html: string; headers: Record<string, string> };
const outbox = (): Mail[] =>
  (raw().prepare('select kind, to_address as "to", subject, text_body as text, html_body as html, headers from mail_outbox order by id').all() as (Mail & { headers: string })[]).map(
    (row) => ({ ...row, headers: JSON.parse(row.headers) as Record<string, string> }),
  );
const later = (ms: number) => Date.now() + ms;

describe('the notify job', () => {
  it('waits out the delay, then mails the parent author once, listing each reply with its permalink', async () => {
    const [ana, ben] = [reader(), reader()];
    const top = post(ana.id, null);
    const first = post(ben.id, top, 'First reply');
    const second = post(ben.id, top, 'Second reply');
    assert.deepEqual(await runNotifyPass(getDb(), later(1_000), config), { mailed: 0, dropped: 0 }, 'not before the delay');
    // Deferred to when the message falls due: passes until then do not read them again.
    assert.deepEqual(pendingReaderThreads(later(30_000)), []);
    assert.equal(pendingReaderThreads(later(61_000)).length, 1);
    assert.equal((await runNotifyPass(getDb(), later(61_000), config)).mailed, 1);
    const [mail, ...rest] = outbox();
    assert.equal(rest.length, 0);
    assert.equal(mail!.to, ana.email);
    assert.equal(mail!.kind, 'reply');
    assert.match(mail!.subject, /2 new replies/);
    for (const [id, text] of [
      [first.id, 'First reply'],
      [second.id, 'Second reply'],
    ] as const) {
      assert.ok(mail!.text.includes(text));
      assert.ok(mail!.text.includes(`https://news.example/articles/`) && mail!.text.includes(`?comment=${id}#comment-${id}`), 'a permalink to each');
    }
    assert.ok(mail!.text.includes('https://news.example/profile#notifications'), 'a link to the settings');
    assert.match(mail!.headers['List-Unsubscribe']!, /^<https:\/\/news\.example\/api\/unsubscribe\?token=[\w.-]+>$/);
    assert.equal(mail!.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    assert.equal((await runNotifyPass(getDb(), later(62_000), config)).mailed, 0, 'the events are done');
  });

  it('lists at most ten replies in one message, counts the rest and links to the whole thread', async () => {
    const [ana, ben] = [reader(), reader()];
    const top = post(ana.id, null);
    for (let i = 1; i <= 12; i += 1) post(ben.id, top, `Reply number ${i}.`);
    assert.equal((await runNotifyPass(getDb(), later(61_000), config)).mailed, 1);
    const [mail] = outbox();
    assert.match(mail!.subject, /12 new replies/);
    assert.ok(mail!.text.includes('Reply number 10.') && !mail!.text.includes('Reply number 11.'));
    assert.ok(mail!.text.includes('and 2 more'));
    assert.ok(mail!.text.includes(`https://news.example/articles/`) && mail!.text.includes(`#comment-${top.id}`));
  });

  it('turns a burst of 1,500 replies into one message, marks every event done, and mails nothing more for them', async () => {
    const [ana, ben] = [reader(), reader()];
    const top = post(ana.id, null);
    for (let i = 1; i <= 1500; i += 1) post(ben.id, top, `Burst reply ${i}.`);
    assert.equal((await runNotifyPass(getDb(), later(61_000), config)).mailed, 1);
    const [mail, ...rest] = outbox();
    assert.equal(rest.length, 0);
    assert.match(mail!.subject, /1500 new replies/);
    assert.ok(mail!.text.includes('and 1490 more'));
    const pending = raw().prepare("select count(*) from notifications where done_at is null and reason in ('reply', 'thread')").pluck().get();
    assert.equal(pending, 0, 'every event of the burst is done');
    assert.deepEqual(await runNotifyPass(getDb(), later(20 * 60_000), config), { mailed: 0, dropped: 0 });
    assert.equal(outbox().length, 1);
  });

  it('holds the next message to that thread until NOTIFY_BATCH_MINUTES after the last', async () => {
    const [ana, ben] = [reader(), reader()];
    const top = post(ana.id, null);
    post(ben.id, top);
    assert.equal((await runNotifyPass(getDb(), later(61_000), config)).mailed, 1);
    post(ben.id, top);
    assert.equal((await runNotifyPass(getDb(), later(5 * 60_000), config)).mailed, 0, 'within the batch window');
    assert.equal((await runNotifyPass(getDb(), later(12 * 60_000), config)).mailed, 1, 'after it');
    assert.equal(outbox().length, 2);
  });

  it('due time: the later of first event + delay and last mail + batch', async () => {
    assert.equal(dueAt(1000, null, config), 61_000);
    assert.equal(dueAt(1000, 0, config), 600_000);
  });

  it('drops, without mail, replies deleted since, to unverified readers, to muted threads or readers who turned replies off', async () => {
    const [ana, ben] = [reader(), reader()];
    const unverified = reader({ verified: false });
    const top = post(ana.id, null);
    softDeleteComment(post(ben.id, top).id, 1000);
    post(ben.id, post(unverified.id, null));
    const muted = post(ana.id, null);
    muteThread(ana.id, muted.rootId);
    post(ben.id, muted);
    const off = reader();
    raw().prepare('update users set notify_replies = 0 where id = ?').run(off.id);
    post(ben.id, post(off.id, null));
    assert.deepEqual(await runNotifyPass(getDb(), later(61_000), config), { mailed: 0, dropped: 4 });
    assert.equal(outbox().length, 0);
  });

  it("drops a banned author's reply", async () => {
    const [ana, ben] = [reader(), reader()];
    post(ben.id, post(ana.id, null));
    raw().prepare('update users set banned_at = ? where id = ?').run(Date.now(), ben.id);
    assert.deepEqual(await runNotifyPass(getDb(), later(61_000), config), { mailed: 0, dropped: 1 });
  });

  it('mails a subscriber the new comments of the discussion, but not their own or those a reply mail covers', async () => {
    const [sub, ben] = [reader(), reader()];
    const old = post(ben.id, null, 'Before subscribing');
    subscribe(sub.id, articleId);
    const mine = post(sub.id, null, 'My own');
    post(ben.id, mine, 'A reply to me');
    post(ben.id, old, 'News in the discussion');
    await runNotifyPass(getDb(), later(61_000), config);
    const mails = outbox().filter((mail) => mail.to === sub.email);
    assert.deepEqual(mails.map((mail) => mail.kind).sort(), ['discussion', 'reply']);
    const discussion = mails.find((mail) => mail.kind === 'discussion')!;
    assert.ok(discussion.text.includes('News in the discussion'));
    assert.ok(!discussion.text.includes('My own') && !discussion.text.includes('A reply to me') && !discussion.text.includes('Before subscribing'));
    assert.equal((await runNotifyPass(getDb(), later(62_000), config)).mailed, 0, 'the cursor moved on');
  });

  it("one subscriber's batch window does not hold another's mail, and another article's comments are not news", async () => {
    const [first, second, ben] = [reader(), reader(), reader()];
    raw().prepare("insert or ignore into articles (slug, title, summary, body_markdown, content_hash) values ('other', 'Other', 'S', 'B', 'h')").run();
    const otherArticle = raw().prepare("select id from articles where slug = 'other'").pluck().get() as number;
    subscribe(first.id, articleId);
    post(ben.id, null, 'For the first subscriber');
    assert.equal((await runNotifyPass(getDb(), later(61_000), config)).mailed, 1);
    subscribe(second.id, articleId);
    raw()
      .prepare("insert into comments (article_id, author_id, body_markdown, body_html, status) values (?, ?, 'Elsewhere', '<p>Elsewhere</p>', 'visible')")
      .run(otherArticle, ben.id);
    assert.equal((await runNotifyPass(getDb(), later(2 * 60_000), config)).mailed, 0, 'a comment on another article is no news here');
    post(ben.id, null, 'For the second subscriber');
    assert.equal((await runNotifyPass(getDb(), later(3 * 60_000), config)).mailed, 1);
    const mails = outbox().filter((mail) => mail.kind === 'discussion');
    assert.deepEqual(mails.map((mail) => mail.to), [first.email, second.email]);
  });

  it('mails a subscriber a held comment approved after the cursor passed it, once', async () => {
    const [sub, gone, ben, mod] = [reader(), reader(), reader(), reader()];
    subscribe(sub.id, articleId);
    subscribe(gone.id, articleId);
    const held = post(ben.id, null, 'Held, then approved', 'pending');
    post(ben.id, null, 'Shown at once');
    await runNotifyPass(getDb(), later(61_000), config);
    const first = outbox().filter((mail) => mail.to === sub.email);
    assert.equal(first.length, 1);
    assert.ok(first[0]!.text.includes('Shown at once') && !first[0]!.text.includes('Held, then approved'));
    decideCommentStatus(held.id, 'visible', null, { actorId: mod.id, action: 'comment.approve', targetType: 'comment', targetId: held.id });
    unsubscribe(gone.id, articleId);
    await runNotifyPass(getDb(), later(12 * 60_000), config);
    const mails = outbox().filter((mail) => mail.to === sub.email && mail.kind === 'discussion');
    assert.equal(mails.length, 2, 'the approved comment is mailed');
    assert.ok(mails[1]!.text.includes('Held, then approved') && !mails[1]!.text.includes('Shown at once'));
    assert.equal((await runNotifyPass(getDb(), later(30 * 60_000), config)).mailed, 0, 'and only once');
    assert.equal(outbox().filter((mail) => mail.to === gone.email).length, 1, 'not to one who unsubscribed after the approval');
  });

  it('sends moderators one digest of held comments, at most one per batch window', async () => {
    const mod = reader({ role: 'moderator' });
    const [ana, ben] = [reader(), reader()];
    post(ana.id, null, 'Held one', 'pending');
    post(ben.id, null, 'Held two', 'pending');
    assert.equal((await runNotifyPass(getDb(), later(61_000), config)).mailed, 1);
    const [digest] = outbox();
    assert.equal(digest!.to, mod.email);
    assert.equal(digest!.kind, 'digest');
    assert.ok(digest!.text.includes('Held one') && digest!.text.includes('Held two'));
    assert.ok(digest!.text.includes('https://news.example/moderation'));
    post(ana.id, null, 'Held three', 'pending');
    assert.equal((await runNotifyPass(getDb(), later(2 * 60_000), config)).mailed, 0, 'within the window');
    assert.equal((await runNotifyPass(getDb(), later(12 * 60_000), config)).mailed, 1);
  });
});

describe('the unsubscribe token', () => {
  it('reads back who and what it was made for', async () => {
    const token = unsubscribeToken('user-1', 'thread:12', SECRET);
    assert.deepEqual(readUnsubscribeToken(token, SECRET), { userId: 'user-1', scope: 'thread:12' });
  });

  it('refuses a forged, altered, moved or foreign token', async () => {
    const token = unsubscribeToken('user-1', 'thread:12', SECRET);
    const [, mac] = token.split('.');
    const moved = `${Buffer.from(JSON.stringify(['user-2', 'thread:12'])).toString('base64url')}.${mac}`;
    for (const bad of [moved, `${token}x`, token.slice(0, -2), 'abc.def', '', 'a.b.c', unsubscribeToken('user-1', 'thread:12', 'another-secret-0123456789-0123456789'), 42]) {
      assert.equal(readUnsubscribeToken(bad, SECRET), null, String(bad));
    }
  });
});

describe('unsubscribing by link', () => {
  it('mutes the thread, or stops everything, and a forged link changes nothing', async () => {
    process.env.AUTH_SECRET = SECRET;
    const { unsubscribeByLink } = await import('./unsubscribe');
    const ana = reader();
    subscribe(ana.id, articleId);
    const snapshot = () => raw().prepare('select (select count(*) from thread_mutes where user_id = @id) as mutes, (select notify_replies from users where id = @id) as replies, (select count(*) from discussion_subscriptions where user_id = @id) as subs').get({ id: ana.id });
    const before = snapshot();
    const forged = unsubscribeToken(ana.id, 'thread:7', 'not-the-secret-0123456789-0123456789');
    const refused = unsubscribeByLink(forged, 'all');
    assert.equal(refused.ok, false);
    assert.deepEqual(snapshot(), before, 'nothing changed');
    assert.equal(unsubscribeByLink(unsubscribeToken(ana.id, 'thread:7', SECRET), 'scope').ok, true);
    assert.deepEqual(snapshot(), { mutes: 1, replies: 1, subs: 1 });
    assert.equal(unsubscribeByLink(unsubscribeToken(ana.id, 'thread:7', SECRET), 'all').ok, true);
    assert.deepEqual(snapshot(), { mutes: 1, replies: 0, subs: 0 });
  });
});
