import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { ARTICLE_PATH, ARTICLE_SLUG, E2E_DB_PATH, expectNoAxeViolations, expect, fillSignIn, newReader, signOut, signUpAs, test, type Reader } from './fixtures';

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

/** Another browser signed in to `reader`'s account with the password form (JavaScript off when asked). */
async function signInElsewhere(browser: Browser, reader: Reader, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, javaScriptEnabled });
  const page = await context.newPage();
  await page.goto('/signin?callbackUrl=%2Fprofile');
  await fillSignIn(page, reader.email, reader.password);
  await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible({ timeout: 15_000 });
  return page;
}

const sessionList = (page: Page) => page.locator('#sessions .session');

async function expectSignedOut(page: Page): Promise<void> {
  await page.goto('/profile');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fprofile$/);
  await page.goto(ARTICLE_PATH);
  await expect(page.getByRole('link', { name: 'Sign in to comment' })).toBeVisible();
}

test('the profile lists each sign-in, and signing one out from another ends it at its next page load', async ({ browser, page }) => {
  const reader = await signUpAs(page, newReader('Two Browsers'));
  const other = await signInElsewhere(browser, reader);
  await page.goto('/profile#sessions');
  const section = page.getByRole('region', { name: 'Where you are signed in' });
  await expect(sessionList(page)).toHaveCount(2);
  await expect(sessionList(page).first()).toContainText('this browser');
  await expect(sessionList(page).first()).toContainText('with an emailed link');
  await expect(sessionList(page).nth(1)).toContainText('with a password');
  await expect(sessionList(page).nth(1)).toContainText(/Chrome \d+ on /);

  await section.getByRole('button', { name: /^Sign out .*, signed in / }).click();
  await expect(section.getByRole('status')).toContainText(/Signed out Chrome \d+ on .+\. Its next request will be signed out\./);
  await expect(sessionList(page)).toHaveCount(1);
  await expect(section).toContainText('No other browser is signed in to your account.');

  await expectSignedOut(other);
  // This browser is still signed in.
  await page.goto('/profile');
  await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
  await other.context().close();
});

test('without JavaScript: “Sign out everywhere else”, then “Sign out everywhere”', async ({ browser, page }) => {
  const reader = await signUpAs(page, newReader('Everywhere Reader'));
  const here = await signInElsewhere(browser, reader, false);
  const second = await signInElsewhere(browser, reader);
  await here.goto('/profile');
  await expect(sessionList(here)).toHaveCount(3);
  await here.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await expect(here.getByRole('region', { name: 'Where you are signed in' }).getByRole('status')).toHaveText('Signed out 2 other sessions. Only this browser is still signed in.');
  await expect(sessionList(here)).toHaveCount(1);
  await expectSignedOut(page);
  await expectSignedOut(second);

  const third = await signInElsewhere(browser, reader);
  await here.goto('/profile');
  await expect(sessionList(here)).toHaveCount(2);
  await here.getByRole('button', { name: 'Sign out everywhere', exact: true }).click();
  await expect(here).toHaveURL(/\/signin\?signedOut=everywhere$/);
  await expect(here.getByRole('status').filter({ hasText: 'You are signed out everywhere' })).toBeVisible();
  await expectSignedOut(here);
  await expectSignedOut(third);
  await Promise.all([here.context().close(), second.context().close(), third.context().close()]);
});

test('this browser’s own “Sign out” in the list signs it out, and a copy of its cookie with it', async ({ browser, page }) => {
  await signUpAs(page, newReader('Own Row'));
  const copy = await withCopiedCookie(browser, page.context());
  await page.goto('/profile');
  await page.getByRole('button', { name: /\(this browser\)$/ }).click();
  await expect(page).toHaveURL(/\/signin/);
  await expectSignedOut(await copy.newPage());
  await copy.close();
});

test('the sign-ins fit a 320 px screen and pass axe, light and dark @phone', async ({ browser, page }) => {
  const reader = await signUpAs(page, newReader('Narrow Sessions'));
  const other = await signInElsewhere(browser, reader);
  await page.setViewportSize({ width: 320, height: 800 });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.goto('/profile#sessions');
    await expect(sessionList(page)).toHaveCount(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), colorScheme).toBeLessThanOrEqual(320);
    await expectNoAxeViolations(page);
  }
  await other.context().close();
});
