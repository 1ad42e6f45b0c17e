import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SCRYPT_PARAMS, hashPassword, verifyAgainstDummy, verifyPassword } from './password';

describe('password hashing', () => {
  it('stores scrypt with its parameters and a random salt, never the password', async () => {
    const first = await hashPassword('correct horse battery');
    const second = await hashPassword('correct horse battery');
    assert.match(first, new RegExp(`^scrypt\\$${SCRYPT_PARAMS.N}\\$8\\$1\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+$`));
    assert.notEqual(first, second, 'each hash has its own salt');
    assert.equal(first.includes('correct horse battery'), false);
  });

  it('accepts the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery');
    assert.equal(await verifyPassword('correct horse battery', hash), true);
    assert.equal(await verifyPassword('correct horse batterY', hash), false);
    assert.equal(await verifyPassword('', hash), false);
  });

  it('refuses a malformed stored hash instead of throwing', async () => {
    assert.equal(await verifyPassword('anything', 'not-a-hash'), false);
    assert.equal(await verifyPassword('anything', 'bcrypt$1$2$3$4$5'), false);
  });

  it('the dummy check never succeeds', async () => {
    assert.equal(await verifyAgainstDummy('dummy password that never matches'), false);
  });
});
