import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeEmail, profileSchema, safeReturnPath, signUpSchema } from './validation';

describe('auth validation', () => {
  it('normalises emails so one address is one account', () => {
    assert.equal(normalizeEmail('  Ada.Lovelace@Example.COM '), 'ada.lovelace@example.com');
    const parsed = signUpSchema.parse({ name: 'Ada', email: ' ADA@Example.com ', password: 'long enough pw' });
    assert.equal(parsed.email, 'ada@example.com');
  });

  it('tidies display names and refuses empty, too long or invisible-character names', () => {
    assert.equal(profileSchema.parse({ name: '  Ada   Lovelace ' }).name, 'Ada Lovelace');
    assert.equal(profileSchema.safeParse({ name: '   ' }).success, false);
    assert.equal(profileSchema.safeParse({ name: 'x'.repeat(51) }).success, false);
    assert.equal(profileSchema.safeParse({ name: 'x'.repeat(50) }).success, true);
    assert.equal(profileSchema.safeParse({ name: 'evil\u202Eeman' }).success, false);
  });

  it('refuses short passwords with a message that says the minimum', () => {
    const result = signUpSchema.safeParse({ name: 'Ada', email: 'ada@example.com', password: 'short' });
    assert.equal(result.success, false);
    assert.match(result.error?.issues[0]?.message ?? '', /at least 10 characters/);
  });

  it('returns only to paths on this site', () => {
    assert.equal(safeReturnPath('/articles/x#discussion'), '/articles/x#discussion');
    assert.equal(safeReturnPath('/profile?tab=1'), '/profile?tab=1');
    for (const hostile of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '/api/auth/signout', '', null, 42]) {
      assert.equal(safeReturnPath(hostile), '/', String(hostile));
    }
  });

  it('refuses paths that parsing collapses into another host (dot segments, encoded slashes, backslashes)', () => {
    const variants = [
      '/.//evil.example',
      '/..//evil.example',
      '/%2e//evil.example',
      '/%2E%2E//evil.example',
      '/.%2F/evil.example',
      '/.%2f%2fevil.example',
      '/./%5Cevil.example',
      '/./\\evil.example',
      '/a/../..//evil.example/x?y=1#z',
      '/%2F%2Fevil.example',
      '/%5C%5Cevil.example',
      '/./%2561pi/x',
      '/%61pi/auth/signout',
    ];
    for (const hostile of variants) {
      const result = safeReturnPath(hostile);
      assert.equal(result, '/', `${hostile} -> ${result}`);
    }
    // Dot segments that stay on the site are still fine.
    assert.equal(safeReturnPath('/a/./b/../c?x=1#d'), '/a/c?x=1#d');
  });
});
