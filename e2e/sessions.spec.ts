import Database from 'better-sqlite3';
import type { Browser, BrowserContext } from '@playwright/test';
import { ARTICLE_SLUG, E2E_DB_PATH, expect, newReader, signOut, signUpAs, test } from './fixtures';

/*
 * Sessions: every sign-in is a row the reader can see and end from the profile, and a signed-out
 * cookie is refused everywhere, even when someone kept a copy of it.
 */
const COOKIE = 'authjs.session-token';

function nameOf(email: string): string {
  const db = new Database(E2E_DB_PATH, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('select name from users where email = ?').pluck().get(email) as string;
  } finally {
    db.close();
  }
}

/** A second browser holding a copy of `from`'s session cookie, as someone who copied it would. */
async function withCopiedCookie(browser: Browser, from: BrowserContext): Promise<BrowserContext> {
  const session = (await from.cookies()).filter((cookie) => cookie.name.startsWith(COOKIE));
  expect(session.length, 'the browser holds a session cookie').toBeGreaterThan(0);
  const copy = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  await copy.addCookies(session);
  return copy;
}

test('after sign-out, a copy of the old cookie is refused by the pages, the actions and the JSON API', async ({ browser, page }) => {
  const reader = await signUpAs(page, newReader('Cookie Copier'));
  const thief = await withCopiedCookie(browser, page.context());
  const stolen = await thief.newPage();
  // The copy works while the session lives, so the refusals below are the sign-out's doing.
  await stolen.goto('/profile');
  await expect(stolen.getByRole('heading', { name: 'Your profile' })).toBeVisible();

  await page.goto('/');
  await signOut(page);

  // An action posted from the page the copy loaded before the sign-out.
  await stolen.getByLabel('Display name').fill('Hijacked');
  await stolen.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(stolen.getByText('Your session has ended. Sign in again to change your name.')).toBeVisible();
  expect(nameOf(reader.email)).toBe('Cookie Copier');

  // The JSON API.
  const api = await thief.request.post(`/api/articles/${ARTICLE_SLUG}/comments`, { data: { body: `Posted with a copied cookie ${Date.now()}` } });
  expect(api.status()).toBe(401);

  // A page.
  await stolen.goto('/profile');
  await expect(stolen).toHaveURL(/\/signin\?callbackUrl=%2Fprofile$/);
  await thief.close();
});
