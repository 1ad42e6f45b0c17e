import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeDb, getDb } from '../index';
import { seedArticles } from '../seed';
import { createTemporaryDatabase } from '../test-db';
import { DRAFT_MAX_AGE_MS, readDraft, saveDraft } from './comment-writes';
import { EMAIL_TOKEN_KEEP_MS, purgeCommentDrafts, purgeCommentUndo, purgeEmailTokens, purgeRateLimits, purgeSentMail, purgeSessions, purgeVerificationTokens } from './purges';
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
});
