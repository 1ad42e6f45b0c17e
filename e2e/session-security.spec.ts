import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { encode } from '@auth/core/jwt';
import Database from 'better-sqlite3';
import { ARTICLE_PATH, expect, newReader, signUpAs, test } from './fixtures';

/*
 * Requests that try to act as a reader without a valid session: none, a forged cookie, an
 * expired token. Each must be treated as signed out, by the pages and by the server actions.
 */
const COOKIE = 'authjs.session-token';
const DATA_FOLDER = path.resolve('.test-data');

function serverSecret(): string {
  return fs.readFileSync(path.join(DATA_FOLDER, 'auth-secret'), 'utf8').trim();
}

function userIdFor(email: string): string {
  const db = new Database(path.join(DATA_FOLDER, 'e2e.db'), { readonly: true });
  try {
    return (db.prepare('select id from users where email = ?').get(email) as { id: string }).id;
  } finally {
    db.close();
  }
}

function displayNameOf(email: string): string {
  const db = new Database(path.join(DATA_FOLDER, 'e2e.db'), { readonly: true });
  try {
    return (db.prepare('select name from users where email = ?').get(email) as { name: string }).name;
  } finally {
    db.close();
  }
}

/** A token as a sign-in issues it: naming a session row (user_sessions) made for it here. */
async function sessionToken(userId: string, maxAge: number): Promise<string> {
  const sid = crypto.randomUUID();
  const db = new Database(path.join(DATA_FOLDER, 'e2e.db'));
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare("insert into user_sessions (id, user_id, method) values (?, ?, 'password')").run(sid, userId);
  } finally {
    db.close();
  }
  return encode({ token: { sub: userId, sid }, secret: serverSecret(), salt: COOKIE, maxAge });
}

test.describe('sessions that must not act as a reader', () => {
  test('with no session, the profile sends you to sign in and the article offers sign-in', async ({ page }) => {
    await page.goto('/profile');
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fprofile$/);
    await page.goto(ARTICLE_PATH);
    await expect(page.getByRole('link', { name: 'Sign in to comment' })).toBeVisible();
  });

  test('a token signed with the server secret works, so the refusals below are real', async ({ page, context, baseURL }) => {
    const reader = await signUpAs(page, newReader('Token Holder'));
    await context.clearCookies();
    await context.addCookies([{ name: COOKIE, value: await sessionToken(userIdFor(reader.email), 3600), url: baseURL! }]);
    await page.goto('/profile');
    await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
  });

  test('a token from before sessions had rows (no session id) is treated as signed out', async ({ page, context, baseURL }) => {
    const reader = await signUpAs(page, newReader('Old Token'));
    const old = await encode({ token: { sub: userIdFor(reader.email) }, secret: serverSecret(), salt: COOKIE, maxAge: 3600 });
    await context.clearCookies();
    await context.addCookies([{ name: COOKIE, value: old, url: baseURL! }]);
    await page.goto('/profile');
    await expect(page).toHaveURL(/\/signin/);
  });

  test('a forged session cookie is treated as signed out', async ({ page, context, baseURL }) => {
    const reader = await signUpAs(page, newReader('Forge Target'));
    const forged = await encode({
      token: { sub: userIdFor(reader.email) },
      secret: 'an attacker guessing the secret wrongly 0123456789',
      salt: COOKIE,
      maxAge: 3600,
    });
    await context.clearCookies();
    await context.addCookies([{ name: COOKIE, value: forged, url: baseURL! }]);
    await page.goto(ARTICLE_PATH);
    await expect(page.getByRole('link', { name: 'Sign in to comment' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Account' })).not.toContainText('Forge Target');
    await page.goto('/profile');
    await expect(page).toHaveURL(/\/signin/);
  });

  test('an expired session token is treated as signed out', async ({ page, context, baseURL }) => {
    const reader = await signUpAs(page, newReader('Expired Reader'));
    await context.clearCookies();
    await context.addCookies([{ name: COOKIE, value: await sessionToken(userIdFor(reader.email), -60), url: baseURL! }]);
    await page.goto('/profile');
    await expect(page).toHaveURL(/\/signin/);
  });

  test('the profile action refuses a forged cookie and leaves the name unchanged', async ({ page, context, baseURL }) => {
    const reader = await signUpAs(page, newReader('Keeps Name'));
    await page.goto('/profile');
    await context.clearCookies();
    await context.addCookies([{ name: COOKIE, value: 'not-a-real-session-token', url: baseURL! }]);
    await page.getByLabel('Display name').fill('Hijacked');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Your session has ended. Sign in again to change your name.')).toBeVisible();
    expect(displayNameOf(reader.email)).toBe('Keeps Name');
  });
});
