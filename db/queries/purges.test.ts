import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeDb, getDb } from '../index';
import { seedArticles } from '../seed';
import { createTemporaryDatabase } from '../test-db';
import { REJECTED_REASON } from '../enums';
import { DRAFT_MAX_AGE_MS, decideCommentStatus, editCommentBody, insertComment, readDraft, reportComment, saveDraft } from './comment-writes';
import { banUser } from './moderation';
import {
  EMAIL_TOKEN_KEEP_MS,
  purgeAddressKeys,
  purgeCommentDrafts,
  purgeCommentUndo,
  purgeEmailTokens,
  purgeHandledNotifications,
  purgeRateLimits,
  purgeRejectedComments,
  purgeSentMail,
  purgeSessions,
  purgeVerificationTokens,
} from './purges';
import { hitRateLimit } from './rate-limits';

const temp = createTemporaryDatabase();
let articleId: number;
before(() => {
  seedArticles(getDb());
  articleId = getDb().$client.prepare('select min(id) from articles').pluck().get() as number;
  getDb().$client.prepare("insert into users (id, name, email) values ('u1', 'Writer', 'w@example.com')").run();
});
after(() => {
  closeDb();
  temp.cleanup();
});

const keys = (table: string, column: string) =>
  (getDb().$client.prepare(`select ${column} from ${table} order by ${column}`).pluck().all() as string[]);

describe('the scheduled purges', () => {
  it('delete rate-limit counters whose window ended, and keep the ones still counting', () => {
    const now = 10_000_000;
    const hour = 3_600_000;
    hitRateLimit('ended', 5, hour, now - hour);
    hitRateLimit('live', 5, hour, now - hour + 1);
    assert.equal(purgeRateLimits(hour, now), 1);
    assert.deepEqual(keys('rate_limits', 'key'), ['live']);
    assert.deepEqual(hitRateLimit('live', 1, hour, now), { allowed: false, retryAfterMs: 1 }, 'the live counter still counts');
  });

  it('delete drafts once they are too old to be offered back', () => {
    const client = getDb().$client;
    saveDraft('fresh', articleId, 'typed just now');
    saveDraft('old', articleId, 'typed long ago');
    saveDraft('edge', articleId, 'typed a day ago');
    const now = Date.now();
    client.prepare("update comment_drafts set created_at = ? where token = 'old'").run(now - DRAFT_MAX_AGE_MS - 1);
    client.prepare("update comment_drafts set created_at = ? where token = 'edge'").run(now - DRAFT_MAX_AGE_MS + 60_000);
    assert.equal(purgeCommentDrafts(now), 1);
    assert.deepEqual(keys('comment_drafts', 'token'), ['edge', 'fresh']);
    assert.equal(readDraft('edge', articleId), 'typed a day ago', 'a draft still offered back is kept');
  });

  it('delete undo rows whose time ran out', () => {
    const client = getDb().$client;
    const insert = client.prepare("insert into comments (article_id, author_id, body_markdown, body_html, status) values (?, 'u1', '', '', 'deleted') returning id");
    const [expired, live] = [insert.get(articleId), insert.get(articleId)] as { id: number }[];
    const now = 20_000_000;
    const undo = client.prepare("insert into comment_undo (comment_id, body_markdown, body_html, status, expires_at) values (?, 'x', '<p>x</p>', 'visible', ?)");
    undo.run(expired!.id, now);
    undo.run(live!.id, now + 1);
    assert.equal(purgeCommentUndo(now), 1);
    assert.deepEqual(keys('comment_undo', 'comment_id'), [live!.id]);
  });

  it('delete expired verification tokens and sessions, and keep live ones', () => {
    const client = getDb().$client;
    const now = 30_000_000;
    const token = client.prepare("insert into verification_tokens (identifier, token, expires) values ('w@example.com', ?, ?)");
    token.run('expired', now - 1);
    token.run('live', now);
    const session = client.prepare("insert into sessions (sessionToken, userId, expires) values (?, 'u1', ?)");
    session.run('expired', now - 1);
    session.run('live', now + 60_000);
    assert.equal(purgeVerificationTokens(now), 1);
    assert.equal(purgeSessions(now), 1);
    assert.deepEqual(keys('verification_tokens', 'token'), ['live']);
    assert.deepEqual(keys('sessions', 'sessionToken'), ['live']);
  });

  it('delete mail sent longer ago than kept, and never mail still waiting or failed', () => {
    const client = getDb().$client;
    const now = 40_000_000;
    const keep = 1_000_000;
    const insert = client.prepare(
      "insert into mail_outbox (kind, to_address, subject, text_body, html_body, message_id, status, sent_at) values ('test', 'w@example.com', 's', 't', 'h', ?, ?, ?)",
    );
    insert.run('<old@x>', 'sent', now - keep);
    insert.run('<recent@x>', 'sent', now - keep + 1);
    insert.run('<queued@x>', 'queued', null);
    insert.run('<failed@x>', 'failed', null);
    assert.equal(purgeSentMail(keep, now), 1);
    assert.deepEqual(keys('mail_outbox', 'message_id'), ['<failed@x>', '<queued@x>', '<recent@x>']);
  });

  it('delete mailed links a week after they expired, used or not, so a late click is still told "expired"', () => {
    const client = getDb().$client;
    const now = 5_000_000_000;
    const insert = client.prepare("insert into email_tokens (purpose, token_hash, email, expires_at, used_at) values ('signin', ?, 'w@example.com', ?, ?)");
    insert.run('long-expired', now - EMAIL_TOKEN_KEEP_MS - 1, null);
    insert.run('long-used', now - EMAIL_TOKEN_KEEP_MS - 1, now - EMAIL_TOKEN_KEEP_MS - 10);
    insert.run('just-expired', now - 1, null);
    insert.run('used-live', now + 1, now - 10);
    insert.run('live', now + 1, null);
    assert.equal(purgeEmailTokens(now), 2);
    assert.deepEqual(keys('email_tokens', 'token_hash'), ['just-expired', 'live', 'used-live']);
  });

  it('delete reply events handled the kept days ago, and keep newer ones and the pending', () => {
    const client = getDb().$client;
    const now = 6_000_000_000;
    const keep = 30 * 24 * 3_600_000;
    const comment = client.prepare("insert into comments (article_id, author_id, body_markdown, body_html) values (?, 'u1', 'x', '<p>x</p>') returning id").pluck().get(articleId) as number;
    const insert = client.prepare("insert into notifications (recipient_id, reason, article_id, root_id, comment_id, done_at) values ('u1', ?, ?, ?, ?, ?)");
    insert.run('reply', articleId, comment, comment, now - keep);
    insert.run('thread', articleId, comment, comment, now - keep + 1);
    insert.run('discussion', articleId, comment, comment, null);
    assert.equal(purgeHandledNotifications(keep, now), 1);
    assert.deepEqual(keys('notifications', 'reason'), ['discussion', 'thread']);
  });
});

describe('the retention purges', () => {
  const DAY = 24 * 3_600_000;

  it('delete counters keyed by a client address once their window began the kept days ago, and nothing else', () => {
    const client = getDb().$client;
    client.prepare('delete from rate_limits').run();
    const keep = 30 * DAY;
    const now = 9_000_000_000_000;
    const insert = client.prepare('insert into rate_limits (key, window_start, count) values (?, ?, 1)');
    insert.run('signin:ip:203.0.113.9', now - keep);
    insert.run('draft:ip:2001:db8::1', now - keep - 1);
    insert.run('signin:email-ip:a@b.example|203.0.113.9', now - keep);
    insert.run('signup:ip:203.0.113.10', now - keep + 1);
    insert.run('account-mail:ip:203.0.113.11', now - keep + 1);
    // Not keyed by an address: left to the purge of ended windows.
    insert.run('signin:email:a@b.example', now - keep - DAY);
    insert.run('votes:u1', now - keep - DAY);
    // A name that only starts like one of the limits is not one of them.
    insert.run('signin:ipx:203.0.113.9', now - keep - DAY);
    const names = ['signin:ip', 'signin:email-ip', 'signup:ip', 'account-mail:ip', 'draft:ip'];
    assert.equal(purgeAddressKeys(names, keep, now), 3);
    assert.deepEqual(keys('rate_limits', 'key'), ['account-mail:ip:203.0.113.11', 'signin:email:a@b.example', 'signin:ipx:203.0.113.9', 'signup:ip:203.0.113.10', 'votes:u1']);
    assert.equal(purgeAddressKeys([], keep, now), 0, 'no names, nothing deleted');
  });

  describe('rejected comments', () => {
    const keep = 365 * DAY;
    const text = (id: number) =>
      getDb().$client.prepare('select status, moderation_reason as reason, body_markdown as markdown, body_html as html from comments where id = ?').get(id) as {
        status: string;
        reason: string | null;
        markdown: string;
        html: string;
      };
    const versions = (id: number) => getDb().$client.prepare('select count(*) from comment_versions where comment_id = ?').pluck().get(id) as number;
    const reviewedAt = (id: number) => getDb().$client.prepare('select reviewed_at from comments where id = ?').pluck().get(id) as number | null;
    const post = (words: string, parentId: number | null = null) =>
      insertComment({
        articleId,
        authorId: 'u1',
        parentId,
        rootId: parentId,
        replyToId: parentId,
        depth: parentId === null ? 0 : 1,
        questionId: null,
        bodyMarkdown: words,
        bodyHtml: `<p>${words}</p>`,
        status: 'visible',
        clientToken: null,
      }).id;
    const audit = (action: string, id: number) => ({ actorId: 'mod', action, targetType: 'comment' as const, targetId: id });

    before(() => {
      getDb().$client.prepare("insert into users (id, name, email, role) values ('mod', 'Mo', 'mo@example.com', 'moderator'), ('r1', 'R1', 'r1@example.com', 'reader'), ('banned', 'B', 'b@example.com', 'reader')").run();
    });

    it('empty the text and versions of a comment rejected the kept days ago, keep one rejected a moment less, and leave the rows', () => {
      const old = post('Rejected long ago');
      editCommentBody(old, { markdown: 'Rejected long ago, edited', html: '<p>Rejected long ago, edited</p>' }, { userId: 'u1', as: 'author', reason: null }, null);
      const reply = post('A reply to it', old);
      const recent = post('Rejected a moment too recently');
      editCommentBody(recent, { markdown: 'Rejected recently, edited', html: '<p>Rejected recently, edited</p>' }, { userId: 'u1', as: 'author', reason: null }, null);
      for (const id of [old, recent]) decideCommentStatus(id, 'hidden', REJECTED_REASON, audit('comment.reject', id));
      // The moderator decided on both at about the same moment; the clock is moved instead.
      const decided = reviewedAt(old)!;
      getDb().$client.prepare('update comments set reviewed_at = ? where id = ?').run(decided + 1, recent);
      const now = decided + keep;

      assert.equal(purgeRejectedComments(keep, now), 1);
      assert.deepEqual(text(old), { status: 'hidden', reason: REJECTED_REASON, markdown: '', html: '' });
      assert.equal(versions(old), 0, 'its earlier versions are gone with it');
      assert.deepEqual(text(recent), { status: 'hidden', reason: REJECTED_REASON, markdown: 'Rejected recently, edited', html: '<p>Rejected recently, edited</p>' });
      assert.equal(versions(recent), 1, 'kept with the text');
      assert.equal(text(reply).markdown, 'A reply to it', 'the reply still hangs from the emptied comment');
      const log = getDb().$client.prepare("select count(*) from moderation_log where action = 'comment.reject' and target_id = ?").pluck().get(String(old));
      assert.equal(log, 1, 'the moderation log keeps its entry');

      assert.equal(purgeRejectedComments(keep, now), 0, 'an emptied comment is not counted again');
      assert.equal(purgeRejectedComments(keep, now + 1), 1, 'a moment later the other one goes too');
      assert.deepEqual(text(recent), { status: 'hidden', reason: REJECTED_REASON, markdown: '', html: '' });
    });

    it('never empty a comment hidden by reports and awaiting review, one hidden with a ban, a restored one or a visible one', () => {
      const reported = post('Hidden by reports, awaiting a moderator');
      // A reporter whose word counts: they have a comment shown from before the report.
      getDb().$client.prepare("insert into comments (article_id, author_id, body_markdown, body_html, created_at) values (?, 'r1', 'Mine', '<p>Mine</p>', 0)").run(articleId);
      assert.deepEqual(reportComment({ commentId: reported, userId: 'r1', reason: 'spam', details: null, threshold: 1, reporterMinAgeMs: 0 }), { duplicate: false, hidden: true });
      const banned = post('Hidden with its author’s ban');
      banUser('u1', { until: null, reason: 'spam', hideComments: true }, { actorId: 'mod', action: 'user.ban_and_hide', targetType: 'user', targetId: 'u1' });
      getDb().$client.prepare("update users set banned_at = null, banned_until = null, ban_reason = null where id = 'u1'").run();
      const restored = post('Rejected, then restored');
      decideCommentStatus(restored, 'hidden', REJECTED_REASON, audit('comment.reject', restored));
      decideCommentStatus(restored, 'visible', null, audit('comment.restore', restored));
      const visible = post('Never moderated');
      const approved = post('Approved after a look');
      decideCommentStatus(approved, 'visible', null, audit('comment.approve', approved));

      // Years later.
      const now = Date.now() + 10 * keep;
      const before = [reported, banned, restored, visible, approved].map(text);
      assert.equal(before[0]!.reason, 'reports');
      assert.equal(before[1]!.reason, 'ban');
      assert.equal(purgeRejectedComments(keep, now), 0);
      assert.deepEqual([reported, banned, restored, visible, approved].map(text), before);
    });
  });
});
