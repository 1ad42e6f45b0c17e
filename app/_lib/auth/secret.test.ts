import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { createTemporaryDatabase } from '@/db/test-db';
import { WeakSecretError, ensureAuthSecret, secretFile } from './secret';

const temp = createTemporaryDatabase();
after(temp.cleanup);

describe('the Auth.js secret', () => {
  it('is generated once into the data folder with 0600 permissions and reused after a restart', () => {
    const env: Record<string, string | undefined> = {};
    const first = ensureAuthSecret(env);
    assert.ok(first.length >= 48);
    assert.equal(env.AUTH_SECRET, first);
    assert.equal(fs.statSync(secretFile()).mode & 0o777, 0o600);
    assert.equal(ensureAuthSecret({}), first, 'a second start reads the same secret');
  });

  it('uses a strong secret from the environment as it is', () => {
    const strong = 'q'.repeat(16) + 'Z8xv1mN0pLk2Rt5Y';
    assert.equal(ensureAuthSecret({ AUTH_SECRET: strong, NODE_ENV: 'production' }), strong);
  });

  it('refuses a weak secret in production with a message that says what to do', () => {
    for (const weak of ['short', 'changeme-changeme-changeme-changeme']) {
      assert.throws(
        () => ensureAuthSecret({ AUTH_SECRET: weak, NODE_ENV: 'production' }),
        (error: unknown) => error instanceof WeakSecretError && /at least 32 random characters/.test(error.message),
      );
    }
    assert.equal(ensureAuthSecret({ AUTH_SECRET: 'short', NODE_ENV: 'development' }), 'short');
  });
});
