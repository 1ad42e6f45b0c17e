import type { Page } from '@playwright/test';
import { ARTICLE_PATH, apiPostComment, expect, expectNoAxeViolations, grantRole, newReader, signUpAs, test } from './fixtures';

/*
 * Issue 13: axe finds 0 violations in light and dark, on desktop and phone, on the pages where
 * taking part happens: a discussion with comments by several authors, the reader's own held
 * comment and a comment they reported; an open reply form; the moderation queue with its
 * grouped reports and a confirmation open; the profile; the privacy page; and search results.
 */

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
const SCREENS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;

test.describe.configure({ mode: 'serial' });

let reader: Page;
let moderator: Page;
let firstId: number;
let reportedId: number;
let reportedText: string;
let editedId: number;

test.beforeAll(async ({ browser }) => {
  // Comments by several authors, one of which the reader reports.
  const authors = ['Ana Ortiz', 'Bo Chen'];
  const posted: { id: number; text: string }[] = [];
  for (const name of authors) {
    const page = await (await browser.newContext()).newPage();
    await signUpAs(page, newReader(name));
    const text = unique(`${name} thinks the 2018 goal is reachable`);
    posted.push({ text, ...(await apiPostComment(page, text)) });
    await page.context().close();
  }
  [firstId, reportedId, reportedText] = [posted[0]!.id, posted[1]!.id, posted[1]!.text];

  reader = await (await browser.newContext()).newPage();
  await signUpAs(reader, newReader('Axe Reader'));
  const shown = unique('My own view, shown');
  editedId = (await apiPostComment(reader, shown)).id;
  // Edited once, so its history has a change to show.
  await reader.goto(`${ARTICLE_PATH}/comments/${editedId}/edit`);
  await reader.getByLabel('Edit your comment').fill(shown.replace('My own view', 'My considered view'));
  await reader.getByRole('button', { name: 'Save changes' }).click();
  await expect(reader.locator(`#comment-${editedId}`).getByRole('link', { name: /^edited/ })).toBeVisible();
  await apiPostComment(reader, unique('My casino-bonus comment, held for review'));
  await reader.goto(`${ARTICLE_PATH}/comments/${reportedId}/report`);
  await reader.getByRole('radio', { name: 'Spam' }).check();
  await reader.getByRole('button', { name: 'Send report' }).click();
  await expect(reader.getByText('Thank you. The moderators will look at it.')).toBeVisible();

  moderator = await (await browser.newContext()).newPage();
  const admin = await signUpAs(moderator, newReader('Axe Moderator'));
  grantRole(admin, 'admin');
});

test.afterAll(async () => {
  await reader.context().close();
  await moderator.context().close();
});

for (const colorScheme of ['light', 'dark'] as const) {
  for (const [screen, viewport] of Object.entries(SCREENS)) {
    test(`0 axe violations where readers take part and moderators work (${colorScheme}, ${screen})`, async () => {
      test.setTimeout(110_000); // seven pages, each loaded and read by axe
      for (const page of [reader, moderator]) {
        await page.setViewportSize(viewport);
        await page.emulateMedia({ colorScheme });
      }
      // The discussion: several authors, the reader's held comment, the comment they reported.
      await reader.goto(`${ARTICLE_PATH}?comment=${firstId}`);
      await expect(reader.getByText('Awaiting review: only you can see this comment')).toBeVisible();
      await expect(reader.locator(`#comment-${reportedId}`).getByText('Reported', { exact: true })).toBeVisible();
      await expectNoAxeViolations(reader);

      // An open reply form.
      await reader.goto(`${ARTICLE_PATH}/comments/${firstId}/reply`);
      await expect(reader.getByRole('textbox', { name: /^Reply to / })).toBeFocused();
      await expectNoAxeViolations(reader);

      // A comment's edit history, with its word diff.
      await reader.goto(`${ARTICLE_PATH}/comments/${editedId}/history`);
      await expect(reader.locator('.history__diff ins')).toBeVisible();
      await expectNoAxeViolations(reader);

      // Search results: grouped by article, matched words marked, a cursor link (issue 17).
      await reader.goto('/search?q=reachable');
      await expect(reader.getByRole('region', { name: /^Results in / }).locator('mark').first()).toBeVisible();
      await expectNoAxeViolations(reader);

      await reader.goto('/profile');
      await expect(reader.getByRole('heading', { level: 1 })).toBeVisible();
      await expectNoAxeViolations(reader);

      await reader.goto('/privacy');
      await expect(reader.getByRole('heading', { level: 1, name: 'Privacy' })).toBeVisible();
      await expectNoAxeViolations(reader);

      // The queue, with a comment's reports and a ban's confirmation open.
      await moderator.goto('/moderation');
      const entry = moderator.locator('.queue__item').filter({ hasText: reportedText });
      await entry.locator('details.queue__reports summary').click();
      await expect(entry.getByRole('list', { name: 'Reports' })).toContainText('Axe Reader');
      await entry.locator('summary', { hasText: 'Ban Bo Chen…' }).click();
      await expect(entry.getByRole('button', { name: 'Yes, ban Bo Chen' })).toBeVisible();
      await expectNoAxeViolations(moderator);
    });
  }
}
