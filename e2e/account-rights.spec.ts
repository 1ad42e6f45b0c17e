import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { Browser, Download, Page } from '@playwright/test';
import { ARTICLE_PATH, E2E_DB_PATH, apiPostComment, expect, expectNoAxeViolations, fillSignUp, grantRole, linkIn, mailTo, newReader, signUpAs, test, type Reader } from './fixtures';

/*
 * A reader's rights over their data: "Download my data" and "Delete my account", with
 * JavaScript on and off. Tampered and cross-site posts are in hostile-actions.spec.ts.
 */

function query<T>(sql: string, ...params: unknown[]): T {
  const db = new Database(E2E_DB_PATH, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).pluck().get(...params) as T;
  } finally {
    db.close();
  }
}

async function noScript(browser: Browser, page: Page) {
  return browser.newContext({ baseURL: test.info().project.use.baseURL, javaScriptEnabled: false, storageState: await page.context().storageState() });
}

async function downloaded(download: Download): Promise<{ name: string; file: Record<string, unknown> & { comments: { markdown: string }[]; account: { email: string } } }> {
  const path = await download.path();
  return { name: download.suggestedFilename(), file: JSON.parse(fs.readFileSync(path!, 'utf8')) };
}

test.describe('Download my data', () => {
  test('with JavaScript: the profile’s button saves a JSON file holding the reader’s comment', async ({ page }) => {
    const reader = await signUpAs(page, newReader('Export Reader'));
    const text = `Words to take away ${Date.now()}`;
    await apiPostComment(page, text);
    await page.goto('/profile');
    const section = page.getByRole('region', { name: 'Your data' });
    const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: 'Download my data' }).click()]);
    const { name, file } = await downloaded(download);
    expect(name).toMatch(/^my-data-\d{4}-\d{2}-\d{2}\.json$/);
    expect(file.format).toBe('reader-data-export');
    expect(file.account.email).toBe(reader.email);
    expect(file.comments.map((c) => c.markdown)).toContain(text);
    expect(JSON.stringify(file)).not.toMatch(/scrypt|password_hash|passwordHash/);
    await expect(section.getByRole('status')).toHaveText(`Downloaded ${name}.`);
  });

  test('without JavaScript: the same form downloads the file', async ({ browser, page }) => {
    const reader = await signUpAs(page, newReader('Export No Script'));
    const text = `Plain form export ${Date.now()}`;
    await apiPostComment(page, text);
    const context = await noScript(browser, page);
    const plain = await context.newPage();
    await plain.goto('/profile');
    const [download] = await Promise.all([plain.waitForEvent('download'), plain.getByRole('button', { name: 'Download my data' }).click()]);
    const { file } = await downloaded(download);
    expect(file.account.email).toBe(reader.email);
    expect(file.comments.map((c) => c.markdown)).toContain(text);
    await context.close();
  });
});

/**
 * Signs up again with an address that had an account: as signUpAs, but with the newest
 * confirmation message (the catcher still holds the first account's).
 */
async function signUpAgain(page: Page, reader: Reader): Promise<void> {
  const earlier = (await mailTo(reader.email)).length;
  await page.goto('/signup');
  await fillSignUp(page, reader);
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible({ timeout: 15_000 });
  await expect.poll(async () => (await mailTo(reader.email)).length, { timeout: 15_000 }).toBeGreaterThan(earlier);
  const mail = (await mailTo(reader.email)).slice(earlier).find((m) => m.subject.startsWith('Confirm your email'));
  await page.goto(linkIn(mail!));
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page.getByRole('navigation', { name: 'Account' })).toContainText(`Signed in as ${reader.name}`, { timeout: 15_000 });
  expect(query<number>('select count(*) from users where email = ?', reader.email)).toBe(1);
}

/** Fills the confirmation page's form and submits it. */
async function confirmDeletion(page: Page, reader: Reader | null, choice: 'Remove my comments' | 'Keep my comments'): Promise<void> {
  await page.goto('/profile');
  await page.getByRole('link', { name: 'Delete my account…' }).click();
  await expect(page.getByRole('heading', { name: 'Delete your account', level: 1 })).toBeVisible();
  await page.getByRole('radio', { name: new RegExp(`^${choice}`) }).check();
  if (reader) await page.getByLabel('Your password').fill(reader.password);
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page).toHaveURL(/\/account-deleted\?comments=/);
  await expect(page.getByRole('heading', { name: 'Your account was deleted' })).toBeVisible();
}

test.describe('Delete my account', () => {
  test('keep my comments, with JavaScript: the comment stays as “A former reader”; the address signs up again', async ({ page }) => {
    const reader = await signUpAs(page, newReader('Leaving Keeper'));
    const text = `Kept after I leave ${Date.now()}`;
    const { id } = await apiPostComment(page, text);
    await confirmDeletion(page, reader, 'Keep my comments');
    await expect(page.getByRole('status')).toContainText('shown as written by “A former reader”');
    await expect(page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' })).toBeVisible();
    expect(query<number>('select count(*) from users where email = ? or name = ?', reader.email, reader.name)).toBe(0);
    const author = query<string>('select author_id from comments where id = ?', id);
    expect(author).toMatch(/^former-reader-[0-9a-f]{16}$/);

    await page.goto(`${ARTICLE_PATH}?comment=${id}`);
    const comment = page.locator(`#comment-${id}`);
    await expect(comment).toContainText(text);
    await expect(comment).toContainText('A former reader');
    await expect(comment).not.toContainText(reader.name);

    await signUpAgain(page, { ...reader, name: 'Back Again' });
  });

  test('remove my comments, without JavaScript: the text is gone; the address signs up again', async ({ browser, page }) => {
    const reader = await signUpAs(page, newReader('Leaving Remover'));
    const text = `Removed when I leave ${Date.now()}`;
    const { id } = await apiPostComment(page, text);
    const context = await noScript(browser, page);
    const plain = await context.newPage();
    await confirmDeletion(plain, reader, 'Remove my comments');
    await expect(plain.getByRole('status')).toContainText('The text of your comments was removed.');
    await context.close();
    expect(query<string>('select status from comments where id = ?', id)).toBe('deleted');
    expect(query<string>('select body_markdown from comments where id = ?', id)).toBe('');
    await page.goto(ARTICLE_PATH);
    await expect(page.getByText(text)).toHaveCount(0);
    // The old cookie names an account that is gone: signed out.
    await expect(page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' })).toBeVisible();
    await page.context().clearCookies();
    await signUpAgain(page, reader);
  });

  test('a provider-only account, just signed in, confirms without a password', async ({ page }) => {
    await page.goto('/signin');
    await page.getByRole('button', { name: 'Continue with Test SSO' }).click();
    await page.getByPlaceholder('Enter any login').fill('petra');
    await page.getByPlaceholder('and password').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('navigation', { name: 'Account' })).toContainText('Signed in as Petra Provider');
    await page.goto('/profile/delete');
    await expect(page.getByLabel('Your password')).toHaveCount(0);
    await confirmDeletion(page, null, 'Remove my comments');
    expect(query<number>("select count(*) from accounts where provider = 'oidc' and providerAccountId = 'petra'")).toBe(0);
    expect(query<number>("select count(*) from users where email = 'petra.provider@example.test'")).toBe(0);
  });

  test('a moderator is told to be demoted first, and sees no form', async ({ page }) => {
    const reader = await signUpAs(page, newReader('Staying Moderator'));
    grantRole(reader, 'moderator');
    await page.goto('/profile/delete');
    await expect(page.locator('.notice--error')).toHaveText('A moderator’s account cannot be deleted. Ask an admin to make you a reader first, then delete it.');
    await expect(page.getByRole('button', { name: 'Delete my account' })).toHaveCount(0);
  });

  test('a wrong password, or no choice, is refused with a message, and the account stays', async ({ page }) => {
    const reader = await signUpAs(page, newReader('Hesitant Reader'));
    await page.goto('/profile/delete');
    await page.getByLabel('Your password').fill('not my password at all');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await expect(page.getByText('Choose what happens to your comments.')).toBeVisible();
    await page.getByRole('radio', { name: /^Keep my comments/ }).check();
    await page.getByLabel('Your password').fill('not my password at all');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await expect(page.getByText('Your password is incorrect.')).toBeVisible();
    expect(query<number>('select count(*) from users where email = ?', reader.email)).toBe(1);
  });

  test('deleting twice: the second request hears the account is already gone', async ({ browser, page }) => {
    const reader = await signUpAs(page, newReader('Twice Deleter'));
    const context = await noScript(browser, page);
    const second = await context.newPage();
    await second.goto('/profile/delete');
    await second.getByRole('radio', { name: /^Keep my comments/ }).check();
    await second.getByLabel('Your password').fill(reader.password);
    await confirmDeletion(page, reader, 'Keep my comments');
    await second.getByRole('button', { name: 'Delete my account' }).click();
    await expect(second.locator('.notice--error')).toHaveText('This account no longer exists: it has already been deleted.');
    await context.close();
  });
});

test.describe('the new pages are accessible, in light and dark, down to 320 px', () => {
  for (const scheme of ['light', 'dark'] as const) {
    test(`profile, confirmation and farewell pages (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      const reader = await signUpAs(page, newReader('Axe Reader'));
      for (const width of [1280, 320]) {
        await page.setViewportSize({ width, height: 800 });
        for (const path of ['/profile', '/profile/delete']) {
          await page.goto(path);
          await expectNoAxeViolations(page);
          expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} at ${width} px`).toBeLessThanOrEqual(width);
        }
      }
      await page.goto('/profile/delete');
      await page.getByRole('button', { name: 'Delete my account' }).click();
      await expect(page.getByText('Choose what happens to your comments.')).toBeVisible();
      await expectNoAxeViolations(page);
      await confirmDeletion(page, reader, 'Keep my comments');
      await expectNoAxeViolations(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    });
  }
});
