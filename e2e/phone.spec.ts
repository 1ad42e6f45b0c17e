import type { Browser, Page } from '@playwright/test';
import { ARTICLE_PATH, apiPostComment, expect, expectNoAxeViolations, grantRole, newReader, postAsSomeoneElse, signUpAs, test, type Reader } from './fixtures';

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
  'signed out': ['/', ARTICLE_PATH, '/signin', '/privacy', '/search?q=xiaomi+comment'],
  reader: ['/', ARTICLE_PATH, '/profile', '/privacy', '/search?q=xiaomi+comment'],
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

for (const javaScriptEnabled of [true, false]) {
  test(`on a phone the questions are compact, so the comment box is about a screen from the discussion's start (${javaScriptEnabled ? 'with' : 'without'} JavaScript)`, async ({ browser }) => {
    const { page } = await as(browser, 'reader', javaScriptEnabled);
    // A discussion under way: each question has an answer, so each card shows its top answer.
    for (const questionKey of ['growth', 'targets', 'next-focus']) {
      await postAsSomeoneElse(browser, `An answer of a few words, long enough to wrap on a phone, to ${questionKey}`, { questionKey });
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(ARTICLE_PATH);
    const distance = async () => {
      const heading = await page.locator('#discussion-heading').boundingBox();
      const box = await page.getByRole('textbox', { name: 'Your comment', exact: true }).boundingBox();
      return box!.y - heading!.y;
    };
    // The first question stays open; the later ones fold to their question and meta line.
    const cards = page.locator('.prompt');
    await expect(cards).toHaveCount(3);
    const second = cards.nth(1);
    await expect(second.locator('.prompt__text')).toBeVisible();
    await expect(second.getByRole('link', { name: /written answer/ })).toBeVisible();
    await page.locator('.discussion').screenshot({ path: test.info().outputPath('phone-discussion.png') });
    expect(await distance(), 'the box within about one screen (844 px) of the heading').toBeLessThanOrEqual(844 * 1.1);
    // Each folded card opens in place, by keyboard too.
    const more = second.locator('.prompt__more > summary');
    await more.focus();
    await page.keyboard.press('Enter');
    await expect(second.locator('.prompt__more > :not(summary)').first()).toBeVisible();
    await expect(second.locator('.poll')).toBeVisible();

    // On a wide screen nothing is folded: every card shows its poll and top answer.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.reload();
    await expect(page.locator('.prompt__more > summary').filter({ visible: true })).toHaveCount(0);
    const folded = page.locator('.prompt__more > :not(summary)');
    for (let i = 0; i < (await folded.count()); i += 1) await expect(folded.nth(i)).toBeVisible();
    await page.context().close();
  });
}
