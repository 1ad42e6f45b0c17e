import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeDb, getDb } from '@/db/index';
import { recordAudit } from '@/db/queries/audit';
import { saveDraft, softDeleteComment } from '@/db/queries/comment-writes';
import { banUser, unbanUser } from '@/db/queries/moderation';
import { createPasswordUser, getUserSummary, type UserSummary } from '@/db/queries/users';
import { FORMER_READER_NAME, FORMER_READER_PREFIX } from '@/db/queries/account-data';
import { insertGuestAuthor } from '@/db/queries/guest-authors';
import { seedArticles } from '@/db/seed';
import { createTemporaryDatabase } from '@/db/test-db';
import { articleCache } from '../comments/article-cache';

/*
 * "Download my data" and "Delete my account" against a real, migrated SQLite file. A reader who
 * did everything the site lets a reader do is deleted, and then every column of every table is
 * searched for their email, name and id.
 */
const revalidatedAll: (string | null)[] = [];
articleCache.revalidate = () => {};
articleCache.revalidateAll = (writer = null) => void revalidatedAll.push(writer);

process.env.COMMENT_RATE_LIMIT_DISABLED = '1';
const temp = createTemporaryDatabase();
const SLUG = 'xiaomi-q2-2017-smartphone-shipments';
const PASSWORD = 'correct horse battery';
const IP = '203.0.113.77';
const db = () => getDb().$client;

let service: typeof import('../comments/service');
let polls: typeof import('../comments/polls');
let rights: typeof import('./delete');
let exporter: typeof import('./export');
let hashPassword: typeof import('../auth/password').hashPassword;
let bo: UserSummary;
let moderator: UserSummary;

before(async () => {
  seedArticles(getDb());
  service = await import('../comments/service');
  polls = await import('../comments/polls');
  rights = await import('./delete');
  exporter = await import('./export');
  hashPassword = (await import('../auth/password')).hashPassword;
  bo = createPasswordUser({ name: 'Bo Bystander', email: 'bo@example.com', passwordHash: 'x' });
  moderator = createPasswordUser({ name: 'Mo Derator', email: 'mo@example.com', passwordHash: 'x' });
  db().prepare("update users set role = 'moderator' where id = ?").run(moderator.id);
  moderator = getUserSummary(moderator.id)!;
});
after(() => {
  closeDb();
  temp.cleanup();
});

const ok = <T>(result: { ok: true; value: T } | { ok: false; message: string }): T => {
  assert.ok(result.ok, JSON.stringify(result));
  return result.value;
};

type Everything = { user: UserSummary; email: string; name: string; providerId: string; newAddress: string; draftToken: string; thread: number; lone: number; reply: number; boReply: number };

/**
 * A reader who did everything: threads (one answering a question, one edited twice, one with a
 * reply under it), a reply, a held-then-hidden comment, a deleted one still undoable, a vote, a
 * poll stance, a report, a followed discussion, a muted thread, a pending notification, a draft,
 * rate-limit keys, mail and mailed links, an email change under way, a provider account, Auth.js
 * rows, and audit entries as actor (from when they were a moderator) and as target (a ban).
 */
async function readerWhoDidEverything(tag: string): Promise<Everything> {
  const name = `Zephyrine Quillfeather ${tag}`;
  const email = `zephyrine.${tag}@example.org`;
  const newAddress = `zq-new-${tag}@example.org`;
  const created = createPasswordUser({ name, email, passwordHash: await hashPassword(PASSWORD) });
  db().prepare('update users set emailVerified = ? where id = ?').run(Date.now(), created.id);
  const user = getUserSummary(created.id)!;

  const thread = ok(await service.postComment(user, SLUG, { body: `First words`, questionKey: 'growth' })).id;
  ok(await service.editComment(user, SLUG, { commentId: thread, body: 'Second words' }));
  ok(await service.editComment(user, SLUG, { commentId: thread, body: 'Third words' }));
  const lone = ok(await service.postComment(user, SLUG, { body: 'A lone thread' })).id;
  const boThread = ok(await service.postComment(bo, SLUG, { body: `Bo’s thread ${tag}` })).id;
  const boOther = ok(await service.postComment(bo, SLUG, { body: `Bo’s other thread ${tag}` })).id;
  const reply = ok(await service.postComment(user, SLUG, { body: 'A reply to Bo', parentId: boThread })).id;
  // Bo answers the reader's thread: a notification for the reader, and a tombstone if removed.
  const boReply = ok(await service.postComment(bo, SLUG, { body: 'Bo answers', parentId: thread })).id;
  const hidden = ok(await service.postComment(user, SLUG, { body: 'To be hidden' })).id;
  db().prepare("update comments set status = 'hidden' where id = ?").run(hidden);
  db().prepare('update articles set comment_count = comment_count - 1 where slug = ?').run(SLUG);
  recordAuditEntry({ actorId: moderator.id, action: 'comment.reject', targetType: 'comment', targetId: hidden, reason: 'Off-topic' });
  const undone = ok(await service.postComment(user, SLUG, { body: 'Deleted, still undoable' })).id;
  softDeleteComment(undone, 60_000);

  ok(await service.voteOnComment(user, SLUG, { commentId: boThread, vote: 'up' }));
  ok(await polls.giveStance(user, SLUG, { questionKey: 'targets', choice: 'yes' }));
  ok(await service.reportComment(user, SLUG, { commentId: boOther, reason: 'other', details: 'Report details' }));
  const { setDiscussionSubscription } = await import('../notify/subscriptions');
  ok(setDiscussionSubscription(user, SLUG, true));
  db().prepare('insert into thread_mutes (user_id, root_id) values (?, ?)').run(user.id, boThread);
  db().prepare("insert into notify_state (user_id, scope, last_mailed_at) values (?, 'digest', ?)").run(user.id, Date.now());

  const draftToken = `draft-${tag}`;
  const articleId = db().prepare('select id from articles where slug = ?').pluck().get(SLUG) as number;
  saveDraft(draftToken, articleId, `Draft by ${name}`);

  const { limitSignIn } = await import('../auth/sign-in-limits');
  await limitSignIn(IP, email);
  const { takeLimit } = await import('../rate-limit');
  takeLimit('vote', user.id, { limit: 10, windowMs: 60_000 });

  const { sendVerifyLink, sendEmailChangeLink } = await import('../auth/email-links');
  sendVerifyLink({ id: user.id, name, email }, 'https://news.example');
  sendEmailChangeLink({ id: user.id, name }, newAddress, 'https://news.example');

  const providerId = `oidc-sub-${tag}-4711`;
  db()
    .prepare("insert into accounts (userId, type, provider, providerAccountId, access_token, id_token) values (?, 'oidc', 'oidc', ?, 'secret-access-token', 'secret-id-token')")
    .run(user.id, providerId);
  db().prepare('insert into verification_tokens (identifier, token, expires) values (?, ?, ?)').run(email, `vt-${tag}`, Date.now() + 60_000);
  db().prepare('insert into sessions (sessionToken, userId, expires) values (?, ?, ?)').run(`session-${tag}`, user.id, Date.now() + 60_000);
  // A sign-in on the profile's list: its network and browser go with the account.
  db()
    .prepare("insert into user_sessions (id, user_id, method, user_agent, network) values (?, ?, 'password', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0', '203.0.113.0/24')")
    .run(`sid-${tag}`, user.id);

  // Comments imported from their old blog under this address, never claimed (npm run import).
  getDb().transaction((tx) => insertGuestAuthor(tx, { source: 'wordpress', key: email, name: 'Commenter on the old blog', email }));

  // Once a moderator: their own decisions are in the log; then a ban and its lifting name them.
  recordAuditEntry({ actorId: user.id, action: 'comment.approve', targetType: 'comment', targetId: boOther });
  banUser(user.id, { until: null, reason: 'Cooling off', hideComments: false }, { actorId: moderator.id, action: 'user.ban', targetType: 'user', targetId: user.id, reason: 'Cooling off' });
  unbanUser(user.id, { actorId: moderator.id, action: 'user.unban', targetType: 'user', targetId: user.id });
  return { user: getUserSummary(user.id)!, email, name, providerId, newAddress, draftToken, thread, lone, reply, boReply };
}

function recordAuditEntry(entry: Parameters<typeof recordAudit>[1]) {
  getDb().transaction((tx) => recordAudit(tx, entry));
}

/** Every table, every column (as text), searched for each needle. Returns the hits and what was scanned. */
function scanEverything(needles: string[]): { tables: number; columns: number; rows: number; hits: string[] } {
  const tables = db()
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
    .pluck()
    .all() as string[];
  let columns = 0;
  let rows = 0;
  const hits: string[] = [];
  for (const table of tables) {
    const cols = (db().prepare(`pragma table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
    columns += cols.length;
    rows += db().prepare(`select count(*) from "${table}"`).pluck().get() as number;
    for (const col of cols) {
      for (const needle of needles) {
        const n = db().prepare(`select count(*) from "${table}" where instr(lower(cast("${col}" as text)), lower(?)) > 0`).pluck().get(needle) as number;
        if (n > 0) hits.push(`${table}.${col} holds "${needle}" in ${n} row(s)`);
      }
    }
  }
  return { tables: tables.length, columns, rows, hits };
}

/** The kept-in-step counters, recomputed from the rows they count: each pair must agree. */
function counters() {
  const q = (sql: string) => db().prepare(sql).all();
  return {
    articleCounts: q("select a.comment_count as stored, (select count(*) from comments c where c.article_id = a.id and c.status = 'visible') as rows from articles a"),
    answerCounts: q("select q.answer_count as stored, (select count(*) from comments c where c.question_id = q.id and c.parent_id is null and c.status = 'visible') as rows from questions q"),
    pollTotals: q('select qc.vote_count as stored, (select count(*) from poll_votes p where p.choice_id = qc.id) as rows from question_choices qc'),
    scores: q('select c.score as stored, (select count(*) from comment_votes v where v.comment_id = c.id) as rows from comments c'),
    reportCounts: q('select c.report_count as stored, (select count(*) from comment_reports r where r.comment_id = c.id) as rows from comments c'),
  };
}

function assertCountersInStep(when: string) {
  for (const [name, pairs] of Object.entries(counters())) {
    for (const pair of pairs as { stored: number; rows: number }[]) assert.equal(pair.stored, pair.rows, `${when}: ${name} ${JSON.stringify(pair)}`);
  }
}

const total = (sql: string) => db().prepare(sql).pluck().get() as number;
const context = (who: Everything, authTime: number | null = null) => ({ ip: IP, authTime, draftToken: who.draftToken });

describe('Delete my account', () => {
  for (const choice of ['remove', 'keep'] as const) {
    it(`"${choice} my comments": no table holds the reader's email, name or id afterwards; counts stay right`, async () => {
      const who = await readerWhoDidEverything(choice);
      assertCountersInStep('before');
      const needles = [who.email, who.name, who.user.id, who.providerId, who.newAddress];
      const found = scanEverything(needles);
      assert.ok(found.hits.length > 20, 'the scan finds the reader before the deletion');
      console.log(`table scan before "${choice}": ${found.hits.length} hits\n  ${found.hits.join('\n  ')}`);
      const logEntries = total('select count(*) from moderation_log');
      const visibleBefore = total(`select comment_count from articles where slug = '${SLUG}'`);
      const answersBefore = total("select answer_count from questions where key = 'growth'");
      const yesBefore = total("select vote_count from question_choices where key = 'yes'");
      revalidatedAll.length = 0;

      const erased = ok(await rights.deleteAccount(who.user, { password: PASSWORD, comments: choice }, context(who)));

      const scan = scanEverything(needles);
      console.log(`table scan after "${choice}": ${scan.tables} tables, ${scan.columns} columns, ${scan.rows} rows searched for ${needles.length} values: ${scan.hits.length} hits`);
      assert.deepEqual(scan.hits, [], 'nothing about the reader is left');
      assertCountersInStep('after');
      assert.equal(total("select vote_count from question_choices where key = 'yes'"), yesBefore - 1, 'the stance no longer counts');
      // Visible before: thread, lone, reply (the hidden and the deleted ones did not count).
      assert.equal(total(`select comment_count from articles where slug = '${SLUG}'`), choice === 'remove' ? visibleBefore - 3 : visibleBefore);
      assert.equal(total("select answer_count from questions where key = 'growth'"), choice === 'remove' ? answersBefore - 1 : answersBefore);
      assert.deepEqual(revalidatedAll, [null], 'every cached article page is refreshed');

      // The log keeps every entry; the reader is one opaque id there, the placeholder's.
      assert.equal(total('select count(*) from moderation_log'), logEntries);
      assert.match(erased.formerId, new RegExp(`^${FORMER_READER_PREFIX}[0-9a-f]{16}$`));
      assert.equal(total(`select count(*) from moderation_log where actor_id = '${erased.formerId}' or target_id = '${erased.formerId}'`), 3);
      const placeholder = db().prepare('select name, email, password_hash as hash from users where id = ?').get(erased.formerId);
      assert.deepEqual(placeholder, { name: FORMER_READER_NAME, email: null, hash: null });

      // Their comments all belong to the placeholder now.
      const theirs = db().prepare('select id, status, body_markdown as body from comments where author_id = ? order by id').all(erased.formerId) as { id: number; status: string; body: string }[];
      assert.deepEqual(theirs.map((c) => c.id).sort((a, b) => a - b), theirs.map((c) => c.id));
      assert.ok([who.thread, who.lone, who.reply].every((id) => theirs.some((c) => c.id === id)));
      if (choice === 'remove') {
        assert.ok(theirs.every((c) => c.status === 'deleted' && c.body === ''), 'every text is gone');
        assert.equal(total(`select count(*) from comment_versions where comment_id = ${who.thread}`), 0, 'versions removed');
      } else {
        assert.equal(theirs.find((c) => c.id === who.thread)?.body, 'Third words', 'kept as it was');
        assert.equal(total(`select count(*) from comment_versions where comment_id = ${who.thread}`), 2, 'its history stays');
      }
      // Bo's reply still hangs from the thread (a tombstone when removed).
      assert.equal(total(`select parent_id from comments where id = ${who.boReply}`), who.thread);

      // The address is free again, and a stale session finds no account.
      createPasswordUser({ name: 'Back again', email: who.email, passwordHash: 'x' });
      const again = await rights.deleteAccount(who.user, { password: PASSWORD, comments: choice }, context(who));
      assert.equal(again.ok ? 'ok' : again.message, 'This account no longer exists: it has already been deleted.');
    });
  }
});

describe('Delete my account: refusals change nothing', () => {
  const snapshot = () =>
    ['users', 'comments', 'comment_versions', 'comment_votes', 'poll_votes', 'question_choices', 'moderation_log', 'rate_limits', 'mail_outbox', 'accounts'].map((t) =>
      db().prepare(`select * from ${t} order by rowid`).all(),
    );
  const refusedWith = async (viewer: UserSummary | null, input: unknown, ctx: Parameters<typeof rights.deleteAccount>[2], message: string) => {
    const before = snapshot();
    const result = await rights.deleteAccount(viewer, input, ctx);
    assert.equal(result.ok ? 'ok' : result.message, message);
    // A wrong password is counted like a failed sign-in (rate_limits): compare the rest.
    const after = snapshot();
    assert.deepEqual(after.filter((_, i) => i !== 7), before.filter((_, i) => i !== 7));
  };
  const ctx = { ip: IP, authTime: null, draftToken: null };

  it('signed out, a wrong or missing password, no choice, a moderator, the last admin', async () => {
    const reader = createPasswordUser({ name: 'Refused Reader', email: 'refused@example.org', passwordHash: await hashPassword(PASSWORD) });
    await refusedWith(null, { password: PASSWORD, comments: 'keep' }, ctx, 'Your session has ended. Sign in again.');
    await refusedWith(reader, { password: 'not my password', comments: 'keep' }, ctx, 'Check the highlighted fields.');
    await refusedWith(reader, { comments: 'keep' }, ctx, 'Check the highlighted fields.');
    await refusedWith(reader, { password: PASSWORD }, ctx, 'Check the highlighted fields.');
    await refusedWith(reader, { password: PASSWORD, comments: 'everything' }, ctx, 'Check the highlighted fields.');
    await refusedWith(moderator, { password: PASSWORD, comments: 'keep' }, ctx, 'A moderator’s account cannot be deleted. Ask an admin to make you a reader first, then delete it.');
    const admin = createPasswordUser({ name: 'Only Admin', email: 'only-admin@example.org', passwordHash: await hashPassword(PASSWORD) });
    db().prepare("update users set role = 'admin' where id = ?").run(admin.id);
    const only = getUserSummary(admin.id)!;
    await refusedWith(only, { password: PASSWORD, comments: 'keep' }, ctx, 'You are the last admin. Make another reader an admin before you delete your account.');
    // With a second admin, the first may leave.
    const second = createPasswordUser({ name: 'Second Admin', email: 'second-admin@example.org', passwordHash: 'x' });
    db().prepare("update users set role = 'admin' where id = ?").run(second.id);
    ok(await rights.deleteAccount(only, { password: PASSWORD, comments: 'keep' }, ctx));
  });

  it('an admin by ADMIN_EMAILS counts as another admin once their address is verified', async () => {
    db().prepare("update users set role = 'reader' where role = 'admin'").run();
    const lone = createPasswordUser({ name: 'Lone Admin', email: 'lone-admin@example.org', passwordHash: await hashPassword(PASSWORD) });
    db().prepare("update users set role = 'admin' where id = ?").run(lone.id);
    const listed = createPasswordUser({ name: 'Listed Admin', email: 'listed-admin@example.org', passwordHash: 'x' });
    process.env.ADMIN_EMAILS = 'listed-admin@example.org';
    try {
      const viewer = getUserSummary(lone.id)!;
      await refusedWith(viewer, { password: PASSWORD, comments: 'keep' }, ctx, 'You are the last admin. Make another reader an admin before you delete your account.');
      db().prepare('update users set emailVerified = ? where id = ?').run(Date.now(), listed.id);
      ok(await rights.deleteAccount(viewer, { password: PASSWORD, comments: 'keep' }, ctx));
    } finally {
      delete process.env.ADMIN_EMAILS;
    }
  });

  it('an account without a password needs a recent sign-in', async () => {
    const created = createPasswordUser({ name: 'Provider Only', email: 'provider-only@example.org', passwordHash: 'x' });
    db().prepare('update users set password_hash = null where id = ?').run(created.id);
    const viewer = getUserSummary(created.id)!;
    const now = Math.floor(Date.now() / 1000);
    const message = 'To delete your account, sign in again first: for your safety, the last sign-in must be recent.';
    await refusedWith(viewer, { comments: 'remove' }, { ...ctx, authTime: null }, message);
    await refusedWith(viewer, { comments: 'remove' }, { ...ctx, authTime: now - 11 * 60 }, message);
    ok(await rights.deleteAccount(viewer, { comments: 'remove' }, { ...ctx, authTime: now - 60 }));
    assert.equal(getUserSummary(created.id), null);
  });
});

describe('Download my data', () => {
  const read = (chunks: Iterable<string>) => [...chunks];

  it('holds the account without secrets, providers without tokens, comments with versions, and the rest', async () => {
    const who = await readerWhoDidEverything('export');
    const chunks = read(exporter.exportChunks(who.user.id, who.draftToken, new Date('2026-12-07T09:00:00Z')));
    const text = chunks.join('');
    const file = JSON.parse(text);
    assert.equal(file.format, 'reader-data-export');
    assert.equal(file.version, 1);
    assert.equal(file.account.email, who.email);
    assert.equal(file.account.name, who.name);
    assert.equal(file.account.hasPassword, true);
    assert.deepEqual(file.signInProviders, [{ provider: 'oidc', providerAccountId: who.providerId, type: 'oidc' }]);
    for (const secret of ['scrypt', 'secret-access-token', 'secret-id-token', 'password_hash', 'passwordHash', 'sessionVersion', 'token_hash']) {
      assert.ok(!text.includes(secret), `the file holds no ${secret}`);
    }
    const thread = file.comments.find((c: { id: number }) => c.id === who.thread);
    assert.equal(thread.markdown, 'Third words');
    assert.equal(thread.question, 'growth');
    assert.deepEqual(thread.earlierVersions.map((v: { markdown: string }) => v.markdown), ['First words', 'Second words']);
    assert.equal(file.comments.length, 5);
    assert.equal(file.votes.length, 1);
    assert.deepEqual(file.pollStances.map((s: { question: string; choice: string }) => [s.question, s.choice]), [['targets', 'yes']]);
    assert.equal(file.reports[0].details, 'Report details');
    assert.equal(file.notificationSettings.followedDiscussions[0].article, SLUG);
    assert.equal(file.notificationSettings.mutedThreads.length, 1);
    assert.equal(file.drafts[0].body, `Draft by ${who.name}`);
    console.log(`export example (abridged):\n${text.slice(0, 1800)}`);
  });

  it('is written a page at a time: 10,000 comments arrive in bounded chunks', () => {
    const user = createPasswordUser({ name: 'Prolific', email: 'prolific@example.org', passwordHash: 'x' });
    const articleId = db().prepare('select id from articles where slug = ?').pluck().get(SLUG);
    const insert = db().prepare("insert into comments (article_id, author_id, body_markdown, body_html, status) values (?, ?, ?, '', 'visible')");
    db().transaction(() => {
      for (let i = 0; i < 10_000; i += 1) insert.run(articleId, user.id, `Comment number ${i} ${'x'.repeat(100)}`);
    })();
    let pulls = 0;
    let largest = 0;
    let comments = 0;
    const stream = exporter.exportChunks(user.id, null);
    const pieces: string[] = [];
    for (const chunk of stream) {
      pulls += 1;
      largest = Math.max(largest, chunk.length);
      pieces.push(chunk);
    }
    comments = JSON.parse(pieces.join('')).comments.length;
    assert.equal(comments, 10_000);
    assert.ok(pulls >= 10_000 / exporter.EXPORT_PAGE_SIZE, `${pulls} chunks`);
    assert.ok(largest < 1000 * exporter.EXPORT_PAGE_SIZE, `no chunk is more than a page (${largest} characters)`);
  });

  it('is refused signed out, and after EXPORT_LIMIT_PER_HOUR downloads', async () => {
    assert.equal((exporter.startExport(null, null) as { message: string }).message, 'Your session has ended. Sign in again.');
    const user = createPasswordUser({ name: 'Downloader', email: 'downloader@example.org', passwordHash: 'x' });
    for (let i = 0; i < 3; i += 1) assert.ok(exporter.startExport(user, null).ok);
    const refused = exporter.startExport(user, null);
    assert.equal(refused.ok, false);
    assert.match((refused as { message: string }).message, /^You downloaded your data several times in the last hour\. Try again in \d+ minutes?\.$/);
  });
});

describe('Delete my account: mail already composed for other readers', () => {
  // The notify job copies the writer's name and an excerpt into another reader's message; the
  // message's mail_mentions row makes the deletion find it, queued or already sent.
  it('leaves no mail to another reader, queued or sent, that names the deleted reader or quotes their comment', async () => {
    const cy = createPasswordUser({ name: 'Cy Recipient', email: 'cy@example.org', passwordHash: 'x' });
    db().prepare('update users set emailVerified = ? where id = ?').run(Date.now(), cy.id);
    const name = 'Ottoline Leavewright';
    const created = createPasswordUser({ name, email: 'ottoline@example.org', passwordHash: await hashPassword(PASSWORD) });
    const leaver = getUserSummary(created.id)!;
    const cyThread = ok(await service.postComment(getUserSummary(cy.id)!, SLUG, { body: 'Cy asks something' })).id;
    ok(await service.postComment(leaver, SLUG, { body: 'Words Ottoline takes back', parentId: cyThread }));
    const { runNotifyPass } = await import('../notify/notify');
    const config = { delayMs: 0, batchMs: 0, origin: 'https://news.example', secret: 'test-secret-0123456789-0123456789-abcdef', adminEmails: [] };
    await runNotifyPass(getDb(), Date.now() + 60_000, config);
    const toCy = "select count(*) from mail_outbox where to_address = 'cy@example.org' and (instr(text_body, 'Ottoline') > 0 or instr(text_body, 'takes back') > 0)";
    assert.equal(total(toCy), 1, 'the reply mail to Cy is in the outbox before the deletion');
    // That one was delivered (the sender keeps a sent copy a while); a second reply is still queued.
    db().prepare("update mail_outbox set status = 'sent', sent_at = ? where to_address = 'cy@example.org'").run(Date.now());
    const cyOther = ok(await service.postComment(getUserSummary(cy.id)!, SLUG, { body: 'Cy asks again' })).id;
    ok(await service.postComment(leaver, SLUG, { body: 'More words Ottoline takes back', parentId: cyOther }));
    await runNotifyPass(getDb(), Date.now() + 120_000, config);
    assert.equal(total(toCy), 2, 'one sent, one queued');
    assert.equal(total(`select count(*) from mail_mentions where user_id = '${leaver.id}'`), 2, 'each names its writer');

    ok(await rights.deleteAccount(leaver, { password: PASSWORD, comments: 'remove' }, { ip: IP, authTime: null, draftToken: null }));

    assert.equal(total(toCy), 0, 'no mail left to send that names the reader or quotes what they removed');
  });
});
