import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { closeDb, getDb } from '@/db/index';
import { listModerationQueue } from '@/db/queries/moderation';
import { createPasswordUser, getUserSummary, type UserSummary } from '@/db/queries/users';
import { seedArticles } from '@/db/seed';
import { createTemporaryDatabase } from '@/db/test-db';
import { articleCache } from '../comments/article-cache';
import { reportComment } from '../comments/service';

/*
 * Defect 13: three reports hide a comment, and sign-up is cheap, so reports from accounts made
 * for the purpose must not hide anything. Only reporters whose account is older than
 * REPORT_MIN_ACCOUNT_AGE_HOURS and who have a shown comment count toward auto-hide; every
 * report still reaches the moderators' queue.
 */

articleCache.revalidate = () => {};
articleCache.revalidateAll = () => {};

const temp = createTemporaryDatabase();
const SLUG = 'xiaomi-q2-2017-smartphone-shipments';
const HOUR = 60 * 60_000;
const db = () => getDb().$client;
let counter = 0;

before(() => {
  process.env.COMMENT_RATE_LIMIT_DISABLED = '1';
  seedArticles(getDb());
});
beforeEach(() => {
  delete process.env.REPORT_MIN_ACCOUNT_AGE_HOURS;
  delete process.env.REPORT_HIDE_THRESHOLD;
});
after(() => {
  closeDb();
  temp.cleanup();
});

/** A comment written straight to the database as set-up, `agoMs` in the past. */
function commentBy(author: UserSummary, status = 'visible', agoMs = 0): number {
  const article = db().prepare('select id from articles where slug = ?').pluck().get(SLUG);
  const id = db()
    .prepare('insert into comments (article_id, author_id, body_markdown, body_html, status, created_at) values (?, ?, ?, ?, ?, ?) returning id')
    .pluck()
    .get(article, author.id, 'Set-up comment', '<p>Set-up comment</p>', status, Date.now() - agoMs) as number;
  db().prepare('update comments set root_id = id where id = ?').run(id);
  return id;
}

/** A reader whose account is `ageHours` old, with a shown comment or not. */
function reporter(ageHours: number, withComment: boolean | 'hidden' | 'pending'): UserSummary {
  counter += 1;
  const user = createPasswordUser({ name: `Reporter ${counter}`, email: `reporter${counter}@example.com`, passwordHash: 'x' });
  db().prepare('update users set created_at = ? where id = ?').run(Date.now() - ageHours * HOUR, user.id);
  if (withComment) commentBy(user, withComment === true ? 'visible' : withComment, Math.min(ageHours, 1) * HOUR);
  return getUserSummary(user.id)!;
}

function target(): number {
  const author = reporter(100, true);
  return commentBy(author);
}

const statusOf = (id: number) => db().prepare('select status from comments where id = ?').pluck().get(id);
const inQueue = (id: number) => listModerationQueue().some((item) => item.id === id);

async function reportAs(readers: UserSummary[], commentId: number): Promise<boolean[]> {
  const hidden: boolean[] = [];
  for (const reader of readers) {
    const result = await reportComment(reader, SLUG, { commentId, reason: 'spam' });
    assert.ok(result.ok, JSON.stringify(result));
    hidden.push(result.value.hidden);
  }
  return hidden;
}

describe('reports that hide a comment', () => {
  it('three established readers with shown comments hide it, at the third report', async () => {
    const id = target();
    assert.deepEqual(await reportAs([reporter(48, true), reporter(48, true), reporter(48, true)], id), [false, false, true]);
    assert.equal(statusOf(id), 'hidden');
    assert.ok(inQueue(id), 'a hidden comment waits in the queue');
  });

  it('three new accounts do not hide it, even with shown comments, and their reports reach the queue', async () => {
    const id = target();
    assert.deepEqual(await reportAs([reporter(1, true), reporter(2, true), reporter(23, true)], id), [false, false, false]);
    assert.equal(statusOf(id), 'visible');
    const entry = listModerationQueue().find((item) => item.id === id);
    assert.equal(entry?.reportCount, 3);
    assert.equal(entry?.reports.length, 3);
  });

  it('three old accounts with no shown comment do not hide it', async () => {
    const id = target();
    assert.deepEqual(await reportAs([reporter(72, false), reporter(72, 'pending'), reporter(72, 'hidden')], id), [false, false, false]);
    assert.equal(statusOf(id), 'visible');
    assert.ok(inQueue(id));
  });

  it('untrusted reports neither count nor block: two trusted and two new leave it shown; a third trusted hides it', async () => {
    const id = target();
    assert.deepEqual(await reportAs([reporter(48, true), reporter(0, false), reporter(48, true), reporter(0, true)], id), [false, false, false, false]);
    assert.equal(statusOf(id), 'visible');
    assert.deepEqual(await reportAs([reporter(30, true)], id), [true]);
    assert.equal(statusOf(id), 'hidden');
  });

  it('the minimum account age is a setting', async () => {
    process.env.REPORT_MIN_ACCOUNT_AGE_HOURS = '0';
    const id = target();
    assert.deepEqual(await reportAs([reporter(0, true), reporter(0, true), reporter(0, true)], id), [false, false, true]);
    process.env.REPORT_MIN_ACCOUNT_AGE_HOURS = '72';
    const other = target();
    assert.deepEqual(await reportAs([reporter(48, true), reporter(48, true), reporter(48, true)], other), [false, false, false]);
  });
});
