import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { closeDb, getDb } from '@/db/index';
import { banUser } from '@/db/queries/moderation';
import { getUserSummary } from '@/db/queries/users';
import { seedArticles } from '@/db/seed';
import { createTemporaryDatabase } from '@/db/test-db';
import { articleCache } from '../comments/article-cache';
import { importComments } from '../import/importer';
import { claimImportedComments, claimOffer } from './claim';

/* Claiming imported comments from the profile, against a real migrated SQLite file. */
const revalidated: (string | null)[] = [];
articleCache.revalidateAll = (writer = null) => void revalidated.push(writer);
const temp = createTemporaryDatabase();
const raw = () => getDb().$client;
const authorOf = (sourceId: string) => raw().prepare('select author_id from comments where source_id = ?').pluck().get(sourceId);

before(() => {
  seedArticles(getDb());
  raw()
    .prepare(
      "insert into users (id, name, email, emailVerified) values ('zoe', 'Zoe M', 'zoe.muller@example.com', null), ('li', 'Li Lei', 'lilei@example.cn', 1), ('ana', 'Ana', 'ana@example.es', 1)",
    )
    .run();
  importComments({ format: 'wordpress', file: path.join(process.cwd(), 'e2e/fixtures/import/wordpress.xml') });
});
after(() => {
  closeDb();
  temp.cleanup();
});

describe('claiming imported comments', () => {
  it('an unconfirmed address is offered nothing and told to confirm first; nothing moves', () => {
    const zoe = getUserSummary('zoe')!;
    assert.equal(claimOffer(zoe), null);
    const result = claimImportedComments(zoe);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.message : '', /Confirm your email address first/);
    assert.notEqual(authorOf('101'), 'zoe');
  });

  it('a confirmed reader is offered the comments under their address and claims them; the pages are refreshed', () => {
    raw().prepare("update users set emailVerified = 1 where id = 'zoe'").run();
    const zoe = getUserSummary('zoe')!;
    assert.deepEqual(claimOffer(zoe), { comments: 2, names: ['Zoë Müller'] });
    const result = claimImportedComments(zoe);
    assert.deepEqual(result, { ok: true, value: { moved: 2, message: '2 imported comments now show your name.' } });
    assert.equal(authorOf('101'), 'zoe');
    assert.deepEqual(revalidated, ['zoe']);
    assert.equal(claimOffer(zoe), null, 'nothing left to claim');
  });

  it('a banned reader cannot claim', () => {
    // 李雷's comment went to the verified account at import time; Ana's too. Give Ana a guest to claim.
    raw().prepare("update guest_authors set email = 'ana@example.es' where email = 'late@example.org'").run();
    banUser('ana', { until: null, reason: 'spam', hideComments: false }, { actorId: 'li', action: 'ban', targetType: 'user', targetId: 'ana', reason: 'spam' });
    const result = claimImportedComments(getUserSummary('ana'));
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.message : '', /banned/);
    assert.notEqual(authorOf('111'), 'ana');
  });
});
