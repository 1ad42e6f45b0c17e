import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DrizzleAdapter } from '@auth/drizzle-adapter';
import { closeDb, getDb } from '@/db/index';
import { createPasswordUser, getUserSummary, markEmailVerified, raiseSessionVersion } from '@/db/queries/users';
import { accounts, sessions, users, verificationTokens } from '@/db/schema';
import { createTemporaryDatabase } from '@/db/test-db';
import { articleCache } from '../comments/article-cache';
import { banReader } from '../moderation/service';
import { userFromClaims } from './provider-profile';
import { loadSessionUser, loadUser } from './roles';
import { startSession } from './sessions';

/*
 * Staff status from ADMIN_EMAILS, against real SQLite: granted only to an address a sign-in
 * provider verified, and the same answer for the session and for the moderation service.
 */
articleCache.revalidate = () => {};
articleCache.revalidateAll = () => {};
const temp = createTemporaryDatabase();
const saved = process.env.ADMIN_EMAILS;

/** Creates the user the way Auth.js does after an OIDC sign-in: our profile mapping, then the adapter. */
async function providerUser(claims: Parameters<typeof userFromClaims>[0]) {
  const adapter = DrizzleAdapter(getDb(), { usersTable: users, accountsTable: accounts, sessionsTable: sessions, verificationTokensTable: verificationTokens });
  // Auth.js replaces the provider's id with a fresh one (the provider's goes on the account).
  const profile = { ...userFromClaims(claims), id: crypto.randomUUID() };
  return adapter.createUser!({ ...profile, email: profile.email! });
}

before(() => {
  getDb();
  process.env.ADMIN_EMAILS = 'owner@example.com, Boss2@Example.com, claimed@example.com, u1@example.com, u2@example.com, u3@example.com';
});
after(() => {
  process.env.ADMIN_EMAILS = saved;
  closeDb();
  temp.cleanup();
});

describe('staff status from ADMIN_EMAILS', () => {
  it('a password account with a listed address is an admin only once the address is verified', () => {
    const squatter = createPasswordUser({ name: 'Squatter', email: 'claimed@example.com', passwordHash: 'x' });
    assert.equal(loadUser(squatter.id)?.role, 'reader');
    markEmailVerified(getDb(), squatter.id, 'claimed@example.com');
    assert.equal(loadUser(squatter.id)?.role, 'admin');
  });

  it('an account whose provider verified a listed address is an admin', async () => {
    const owner = await providerUser({ sub: 'owner-1', name: 'Owner', email: 'Owner@Example.com', email_verified: true });
    assert.equal(loadUser(owner.id)?.role, 'admin');
  });

  it('an account whose provider did not verify a listed address is not', async () => {
    for (const [sub, verified] of [['u1', false], ['u2', undefined], ['u3', 'false']] as const) {
      const user = await providerUser({ sub, email: `${sub}@example.com`, email_verified: verified });
      assert.equal(loadUser(user.id)?.role, 'reader', String(verified));
    }
  });

  it('a moderator cannot ban an admin from ADMIN_EMAILS, and nothing is stored', async () => {
    const admin = await providerUser({ sub: 'admin-2', name: 'Env Admin', email: 'boss2@example.com', email_verified: true });
    const moderator = createPasswordUser({ name: 'Mod', email: 'mod@example.com', passwordHash: 'x' });
    getDb().$client.prepare("update users set role = 'moderator' where id = ?").run(moderator.id);
    const result = await banReader(loadUser(moderator.id), { userId: admin.id, reason: 'Overreach' });
    assert.equal(result.ok ? 'banned' : result.code, 'forbidden:ban_staff');
    assert.equal(getUserSummary(admin.id)?.ban, null);
    assert.equal(loadUser(admin.id)?.role, 'admin');
  });
});

describe('session versions', () => {
  it('a token of the current version loads its reader; one from before a password change does not', async () => {
    const reader = createPasswordUser({ name: 'Versioned', email: 'versioned@example.com', passwordHash: 'x' });
    const first = await startSession(reader.id, 'password');
    assert.equal(loadSessionUser({ userId: reader.id, sessionVersion: 0, sessionId: first })?.id, reader.id);
    raiseSessionVersion(getDb(), reader.id);
    assert.equal(loadSessionUser({ userId: reader.id, sessionVersion: 0, sessionId: first }), null);
    // Raising the version also ended the session's row: the newer version alone does not bring it back.
    assert.equal(loadSessionUser({ userId: reader.id, sessionVersion: 1, sessionId: first }), null);
    const second = await startSession(reader.id, 'link');
    assert.equal(loadSessionUser({ userId: reader.id, sessionVersion: 1, sessionId: second })?.id, reader.id);
    assert.equal(loadSessionUser({ userId: reader.id, sessionVersion: 0, sessionId: second }), null);
    assert.equal(loadSessionUser({ userId: 'nobody', sessionVersion: 0, sessionId: second }), null);
  });
});
