import type { Page } from '@playwright/test';
import { ARTICLE_PATH, apiPostComment, expect, grantRole, newReader, postAsSomeoneElse, signUpAs, test } from './fixtures';

/*
 * Issue 13, point 5: after a server refusal, focus goes to what the reader can act on, never to
 * <body>. Each form disables its button while it sends, and a disabled element drops focus; the
 * refusals here come from a second tab that is out of date, as they do for real readers. A report
 * is idempotent (a second one is thanked too), so its test is of the thanks that replace the form.
 */

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
const focusIsOnBody = (page: Page) => page.evaluate(() => document.activeElement === document.body || document.activeElement === null);

test('a sent report gives focus to its thanks, which replace the form', async ({ page, browser }) => {
  await signUpAs(page);
  const { id } = await postAsSomeoneElse(browser, unique('Reported by keyboard'));
  await page.goto(`${ARTICLE_PATH}/comments/${id}/report`);
  await page.getByRole('radio', { name: 'Spam' }).check();
  await page.getByRole('button', { name: 'Send report' }).focus();
  await page.keyboard.press('Enter');
  const thanks = page.getByText('Thank you. The moderators will look at it.');
  await expect(thanks).toBeVisible();
  expect(await focusIsOnBody(page)).toBe(false);
  await expect(thanks).toBeFocused();
});

test('a refused delete, asked in place, keeps focus on its confirmation', async ({ page }) => {
  await signUpAs(page);
  const { id } = await apiPostComment(page, unique('Deleted from two tabs'));
  const stale = await page.context().newPage();
  for (const tab of [page, stale]) await tab.goto(`${ARTICLE_PATH}?comment=${id}`);
  await page.locator(`#comment-${id}`).getByRole('link', { name: 'Delete', exact: true }).click();
  await page.getByRole('button', { name: 'Yes, delete it' }).click();
  await expect(page.getByText('Your comment was deleted.')).toBeVisible();

  await stale.locator(`#comment-${id}`).getByRole('link', { name: 'Delete', exact: true }).click();
  const confirm = stale.getByRole('button', { name: 'Yes, delete it' });
  await confirm.click();
  await expect(stale.locator(`#comment-${id}`).getByRole('alert')).toBeVisible();
  expect(await focusIsOnBody(stale)).toBe(false);
  await expect(confirm).toBeFocused();
});

test('a refused queue decision keeps focus on its button', async ({ page, browser }) => {
  const admin = await signUpAs(page, newReader('Refusal Moderator'));
  grantRole(admin, 'admin');
  const author = await (await browser.newContext()).newPage();
  await signUpAs(author);
  const text = unique('A casino-bonus comment decided twice');
  await apiPostComment(author, text);
  await author.context().close();

  const stale = await page.context().newPage();
  for (const tab of [page, stale]) await tab.goto('/moderation');
  await page.locator('.queue__item').filter({ hasText: text }).getByRole('button', { name: 'Reject' }).click();
  await expect(page.locator('.queue__item').filter({ hasText: text })).toHaveCount(0);

  const approve = stale.locator('.queue__item').filter({ hasText: text }).getByRole('button', { name: 'Approve' });
  await approve.click();
  await expect(stale.locator('.queue__item').filter({ hasText: text }).locator('.field__error')).toBeVisible();
  expect(await focusIsOnBody(stale)).toBe(false);
  await expect(approve).toBeFocused();
});
