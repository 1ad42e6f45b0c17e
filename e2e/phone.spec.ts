import type { Browser, Page } from '@playwright/test';
import { ARTICLE_PATH, apiPostComment, expect, expectNoAxeViolations, grantRole, newReader, signUpAs, test, type Reader } from './fixtures';

/*
 * Issue 13, point 10: the header fits a phone for every role. A moderator's header ("Moderation",
 * "Signed in as …", "Sign out" in a row) was 429 px wide, so every page was zoomed out on a
 * 320 px phone. Signed in, the header now shows the reader's initials and name, which open a
 * menu (a <details>, so it works without JavaScript).
 */

type Role = 'signed out' | 'reader' | 'moderator' | 'admin';
const ROLES: Role[] = ['signed out', 'reader', 'moderator', 'admin'];

async function as(browser: Browser, role: Role, javaScriptEnabled = true): Promise<{ page: Page; reader: Reader | null }> {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  if (role === 'signed out') return { page, reader: null };
  const reader = await signUpAs(page, newReader(`Phone ${role[0]!.toUpperCase()}${role.slice(1)} With A Long Name`));
  if (role !== 'reader') grantRole(reader, role);
  return { page, reader };
}

const PAGES: Record<Role, string[]> = {
  'signed out': ['/', ARTICLE_PATH, '/signin'],
  reader: ['/', ARTICLE_PATH, '/profile'],
  moderator: ['/', ARTICLE_PATH, '/profile', '/moderation'],
  admin: ['/', ARTICLE_PATH, '/profile', '/moderation', '/moderation/audit'],
};

for (const role of ROLES) {
  test(`every page fits 320 and 390 px for a ${role === 'signed out' ? 'signed-out reader' : role}, with no sideways scrolling`, async ({ browser }) => {
    const { page } = await as(browser, role);
    if (role !== 'signed out') await apiPostComment(page, `A comment so the discussion has ${role} controls`);
    for (const width of [320, 390]) {
      await page.setViewportSize({ width, height: 800 });
      for (const path of PAGES[role]) {
        await page.goto(path);
        await expect(page.locator('h1').first()).toBeVisible();
        const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, header: document.querySelector('.site-header__inner')!.scrollWidth }));
        expect(widths.page, `${path} at ${width}px`).toBeLessThanOrEqual(width);
        expect(widths.header, `the header of ${path} at ${width}px`).toBeLessThanOrEqual(width);
      }
    }
    await page.context().close();
  });
}

for (const javaScriptEnabled of [true, false]) {
  test(`on a phone, the reader's name opens their menu, ${javaScriptEnabled ? 'with' : 'without'} JavaScript, and it signs out`, async ({ browser }) => {
    const { page, reader } = await as(browser, 'moderator', javaScriptEnabled);
    await page.setViewportSize({ width: 320, height: 700 });
    await page.goto(ARTICLE_PATH);
    const nav = page.getByRole('navigation', { name: 'Account' });
    const menu = nav.locator('summary', { hasText: `Account: ${reader!.name}` });
    await expect(menu).toBeVisible();
    await expect(nav.getByRole('button', { name: 'Sign out' })).toBeHidden();
    // By keyboard: the menu's button opens with Enter.
    await menu.focus();
    await page.keyboard.press('Enter');
    await expect(nav.getByRole('link', { name: 'Your profile' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Moderation' })).toBeVisible();
    await nav.getByRole('button', { name: 'Sign out' }).click();
    await expect(nav.getByRole('link', { name: 'Sign in' })).toBeVisible();
    await page.context().close();
  });
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the open account menu has no axe violations on a phone (${colorScheme})`, async ({ browser }) => {
    const { page } = await as(browser, 'admin');
    await page.setViewportSize({ width: 320, height: 700 });
    await page.emulateMedia({ colorScheme });
    await page.goto(ARTICLE_PATH);
    await page.locator('.account-menu__button').click();
    await expect(page.getByRole('link', { name: 'Your profile' })).toBeVisible();
    await expectNoAxeViolations(page);
    await page.context().close();
  });
}
