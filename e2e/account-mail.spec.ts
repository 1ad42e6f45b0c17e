import Database from 'better-sqlite3';
import type { Browser, Page } from '@playwright/test';
import { E2E_DB_PATH, expect, expectNoAxeViolations, fillSignIn, linkIn, mailTo, newReader, signOut, signUpAs, test, waitForMailTo, type Reader } from './fixtures';

/*
 * Accounts by mail, end to end: the real sign-in page, the real SMTP catcher, the link's page
 * and its button, in Chromium. A second browser context stands for the reader's other devices.
 */
const account = (page: Page) => page.getByRole('navigation', { name: 'Account' });

/** A second browser signed in to the same account with its password. */
async function otherBrowser(browser: Browser, reader: Reader): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/signin');
  await fillSignIn(page, reader.email, reader.password);
  await expect(account(page)).toContainText(`Signed in as ${reader.name}`);
  return page;
}

async function expectSignedOut(page: Page): Promise<void> {
  await page.goto('/profile');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fprofile$/);
  await expect(account(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
}

/** Moves a link's expiry into the past in the e2e server's database, as an hour passing would. */
function expireLinks(email: string, purpose: string): void {
  const db = new Database(E2E_DB_PATH);
  try {
    db.prepare('update email_tokens set expires_at = ? where email = ? and purpose = ?').run(Date.now() - 1000, email, purpose);
  } finally {
    db.close();
  }
}

test.describe('password reset', () => {
  test('a reader resets a forgotten password by mail; every other session is signed out, this browser is signed in', async ({ page, browser }) => {
    const reader = await signUpAs(page);
    const other = await otherBrowser(browser, reader);
    await signOut(page);

    await page.goto('/signin');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Forgot your password?' })).toBeVisible();
    await page.getByLabel('Email', { exact: true }).fill(reader.email.toUpperCase());
    await page.getByRole('button', { name: 'Email me a reset link' }).click();
    await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();

    const mail = await waitForMailTo(reader.email, (m) => m.subject.startsWith('Reset your password'));
    expect(mail.text).toContain('It works once, for 1 hour.');
    await page.goto(linkIn(mail));
    await expect(page.getByRole('heading', { level: 1, name: 'Choose a new password' })).toBeVisible();
    await expectNoAxeViolations(page);
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect(page.getByText('Use at least 10 characters for your password.')).toBeVisible();
    await expect(page.getByLabel('New password', { exact: true })).toBeFocused();

    await page.getByLabel('New password', { exact: true }).fill('a brand new password');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect(page.getByText('Your password was changed.')).toBeVisible({ timeout: 15_000 });
    await expect(account(page)).toContainText(`Signed in as ${reader.name}`);

    await expectSignedOut(other);
    await other.goto('/signin');
    await fillSignIn(other, reader.email, reader.password);
    await expect(other.getByText('Email or password is incorrect.')).toBeVisible();
    await fillSignIn(other, reader.email, 'a brand new password');
    await expect(account(other)).toContainText(`Signed in as ${reader.name}`);
  });

  test('the answer is the same for an address with no account, and nothing is mailed to it', async ({ page }) => {
    const stranger = newReader().email;
    await page.goto('/forgot-password');
    await page.getByLabel('Email', { exact: true }).fill(stranger);
    await page.getByRole('button', { name: 'Email me a reset link' }).click();
    await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
    await expect(page.getByText(`If ${stranger} has an account here, we sent it a link to choose a new password.`)).toBeVisible();
    // The sender is woken at once; give it the time a real message takes to arrive.
    await page.waitForTimeout(1500);
    expect(await mailTo(stranger)).toEqual([]);
  });

  test('requests past the per-address limit are refused with when to try again', async ({ page }) => {
    const reader = await signUpAs(page);
    await signOut(page);
    await page.goto('/forgot-password');
    for (let i = 0; i < 5; i += 1) {
      await page.getByLabel('Email', { exact: true }).fill(reader.email);
      await page.getByRole('button', { name: 'Email me a reset link' }).click();
      await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
    }
    await page.getByLabel('Email', { exact: true }).fill(reader.email);
    await page.getByRole('button', { name: 'Email me a reset link' }).click();
    await expect(page.getByText(/Too many attempts\. Try again in \d+ minutes?\./)).toBeVisible();
  });
});

test.describe('sign-in links', () => {
  test('a reader signs in with a mailed link, and the link does not work twice', async ({ page, browser }) => {
    const reader = await signUpAs(page);
    await signOut(page);
    await page.goto('/signin');
    await page.getByRole('link', { name: 'Email me a sign-in link' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Email me a sign-in link' })).toBeVisible();
    await page.getByLabel('Email', { exact: true }).fill(reader.email);
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();

    const link = linkIn(await waitForMailTo(reader.email, (m) => m.subject.startsWith('Your sign-in link')));
    await page.goto(link);
    // Opening the link changes nothing (a mail scanner may open it first): the button does.
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await expect(page.getByText(`Sign in to`)).toContainText(reader.email);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(account(page)).toContainText(`Signed in as ${reader.name}`);

    const again = await (await browser.newContext()).newPage();
    await again.goto(link);
    await expect(again.getByRole('heading', { level: 1, name: 'This link cannot be used' })).toBeVisible();
    await expect(again.getByText('That link has already been used. Each link works only once: ask for a new one.')).toBeVisible();
    await expect(again.getByRole('link', { name: 'Email me a new sign-in link' })).toBeVisible();
    await expectNoAxeViolations(again);
  });

  test('an expired link is refused with a clear message, and a made-up one too', async ({ page }) => {
    const reader = await signUpAs(page);
    await signOut(page);
    await page.goto('/signin/link');
    await page.getByLabel('Email', { exact: true }).fill(reader.email);
    await page.getByRole('button', { name: 'Email me a link' }).click();
    const link = linkIn(await waitForMailTo(reader.email, (m) => m.subject.startsWith('Your sign-in link')));
    // Open while still valid, then let it expire before the button is pressed.
    await page.goto(link);
    expireLinks(reader.email, 'signin');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByText('That link has expired. Ask for a new one.')).toBeVisible();
    await expect(account(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
    await page.goto(link);
    await expect(page.getByText('That link has expired. Ask for a new one.')).toBeVisible();

    await page.goto('/email-link?token=not-a-real-token');
    await expect(page.getByRole('heading', { level: 1, name: 'This link cannot be used' })).toBeVisible();
    await expect(page.getByText('That link is not valid.')).toBeVisible();
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });
    test('the link request and the link’s button work as plain form posts', async ({ page }) => {
      const reader = await signUpAs(page);
      await signOut(page);
      await page.goto('/signin/link');
      await page.getByLabel('Email', { exact: true }).fill(reader.email);
      await page.getByRole('button', { name: 'Email me a link' }).click();
      await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
      await page.goto(linkIn(await waitForMailTo(reader.email, (m) => m.subject.startsWith('Your sign-in link'))));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(account(page)).toContainText(`Signed in as ${reader.name}`);
    });
  });
});

test.describe('verification and the profile', () => {
  test('an unverified reader confirms the address with a link sent from the profile', async ({ page }) => {
    const reader = await signUpAs(page);
    // An account from before sign-up confirmed addresses, or from a provider that vouches for none.
    const db = new Database(E2E_DB_PATH);
    db.prepare('update users set emailVerified = null where email = ?').run(reader.email);
    db.close();

    await page.goto('/profile');
    await expect(page.getByRole('heading', { name: 'Confirm your email address' })).toBeVisible();
    await page.getByRole('button', { name: 'Send a verification link' }).click();
    await expect(page.getByText(`we sent a confirmation link to ${reader.email}`)).toBeVisible();
    await page.goto(linkIn(await waitForMailTo(reader.email, (m) => m.subject.startsWith('Confirm your email address'))));
    await page.getByRole('button', { name: 'Confirm my address' }).click();
    await expect(page.getByText('Your email address is confirmed.')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Confirm your email address' })).toHaveCount(0);
  });

  test('a reader changes the email address: confirmed at the new one, the old one told', async ({ page }) => {
    const reader = await signUpAs(page);
    const newEmail = newReader().email;
    await page.goto('/profile');
    await page.getByLabel('New email address').fill(newEmail);
    await page.getByRole('button', { name: 'Change email' }).click();
    await expect(page.getByText(`we sent a link to ${newEmail}`)).toBeVisible();
    await expect(page.getByText(`Signed in with ${reader.email}.`)).toBeVisible();

    await page.goto(linkIn(await waitForMailTo(newEmail, (m) => m.subject.startsWith('Confirm your new email address'))));
    await page.getByRole('button', { name: 'Use this address' }).click();
    await expect(page.getByText('Your email address was changed.')).toBeVisible();
    await expect(page.getByText(`Signed in with ${newEmail}.`)).toBeVisible();
    const notice = await waitForMailTo(reader.email, (m) => m.subject.includes('was changed'));
    expect(notice.text).toContain(newEmail);

    await signOut(page);
    await page.goto('/signin');
    await fillSignIn(page, newEmail, reader.password);
    await expect(account(page)).toContainText(`Signed in as ${reader.name}`);
  });

  test('a reader changes the password: the current one is required, other sessions end, this one stays', async ({ page, browser }) => {
    const reader = await signUpAs(page);
    const other = await otherBrowser(browser, reader);
    await page.goto('/profile');
    await expectNoAxeViolations(page);
    await page.getByLabel('Current password', { exact: true }).fill('not my password');
    await page.getByLabel('New password', { exact: true }).fill('another new password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByText('Your current password is incorrect.')).toBeVisible();
    await expect(page.getByLabel('Current password', { exact: true })).toBeFocused();

    await page.getByLabel('Current password', { exact: true }).fill(reader.password);
    await page.getByLabel('New password', { exact: true }).fill('another new password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByText('Your password was changed.')).toBeVisible({ timeout: 15_000 });
    await page.reload();
    await expect(account(page)).toContainText(`Signed in as ${reader.name}`);
    await expectSignedOut(other);
  });

  test('the new pages fit a 320 px screen @phone', async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    for (const path of ['/forgot-password', '/signin/link', '/email-link?token=x']) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
      await expectNoAxeViolations(page);
    }
  });
});
