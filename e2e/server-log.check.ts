import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { newReader } from './fixtures';

/*
 * Runs after every other e2e test (playwright.config.ts, project "server-log"): the e2e server's
 * whole log, written at LOG_LEVEL=debug while readers signed up, signed in, failed to, and posted,
 * holds none of their addresses or passwords.
 */
const LOG = '.test-data/server.log';

test('the log of the whole e2e run holds no reader email or password', () => {
  const text = fs.readFileSync(LOG, 'utf8');
  const lines = text.split('\n').filter(Boolean);
  // It is the real log of the run: thousands of request lines, sign-ins among them.
  const requests = lines.filter((line) => line.includes('"msg":"request"'));
  expect(requests.length).toBeGreaterThan(500);
  expect(requests.some((line) => line.includes('"path":"/api/auth/callback/credentials"') || line.includes('"path":"/signin"'))).toBe(true);

  // Every address the tests used ends in one of these domains; no address of any kind belongs in the log.
  const addresses = text.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+/g) ?? [];
  expect(addresses).toEqual([]);
  // The passwords the tests type (e2e/*.ts), the shared one first.
  const passwords = [newReader().password, 'not the password', 'long enough password', 'wrong password!', 'any password', 'whatever password', 'not the password at all', 'wrong guess 0'];
  for (const password of passwords) expect(text.includes(password), password).toBe(false);
  // Nor any session cookie or bearer token.
  expect(text).not.toMatch(/authjs\.session-token=|Bearer e2e-metrics-token/);
});
