import type { Page } from '@playwright/test';
import { ARTICLE_PATH, apiPostComment, commentByText, expect, expectNoAxeViolations, grantRole, newReader, signUpAs, test } from './fixtures';

/*
 * Issue 16, "Edit history, visible to readers": every edit keeps the text it replaced; the
 * "edited" marker links to the comment's history, a permalink that works without JavaScript,
 * with each version's time, who wrote it and what changed; a moderator's edit says so, with its
 * reason; a comment its author deleted keeps its place and loses its history.
 */

const unique = (text: string) => `${text} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Edits a comment through its edit page, as its author does, and waits for the article. */
async function editThroughPage(page: Page, id: number, body: string): Promise<void> {
  await page.goto(`${ARTICLE_PATH}/comments/${id}/edit`);
  await page.getByLabel('Edit your comment').fill(body);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.locator(`#comment-${id} .comment__body`)).toHaveText(body);
}

test.describe('edit history', () => {
  test('two edits: the edited marker links to the history, which shows every version with the words removed and added', async ({ page }) => {
    await signUpAs(page);
    const tag = unique('tag');
    const { id } = await apiPostComment(page, `The phone ships in red ${tag}`);
    await editThroughPage(page, id, `The phone ships in blue ${tag}`);
    await editThroughPage(page, id, `The phone ships in blue and green ${tag}`);

    await page.locator(`#comment-${id}`).getByRole('link', { name: /^edited/ }).click();
    await expect(page).toHaveURL(new RegExp(`/articles/[^/]+/comments/${id}/history$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Edit history of .+’s comment/);
    const versions = page.getByRole('list', { name: 'Versions, oldest first' }).getByRole('listitem');
    await expect(versions).toHaveCount(3);
    await expect(versions.nth(0).getByRole('heading')).toHaveText('Version 1');
    await expect(versions.nth(0)).toContainText('by its author');
    await expect(versions.nth(0)).toContainText(`The phone ships in red ${tag}`);
    await expect(versions.nth(2).getByRole('heading', { level: 2 })).toHaveText('Version 3 (current)');
    // The diff from version 1 to 2: "red" removed, "blue" added, each said in words as well as colour.
    const second = versions.nth(1).locator('.history__diff');
    await expect(second.locator('del')).toHaveText('[removed: red]');
    await expect(second.locator('ins')).toHaveText('[added: blue]');
    await expect(versions.nth(2).locator('.history__diff ins')).toHaveText(/\[added: (and green|blue and green)\s*\]/);

    await expectNoAxeViolations(page);
    // Kept with the run's results: the picture of the page the closing note shows.
    await page.screenshot({ path: test.info().outputPath('history-page.png'), fullPage: true });
    // At 320 px the page still fits: no sideways scrolling, the diff wraps.
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    test('the history address is a permalink: opened directly, signed out, it shows every version', async ({ page, browser }) => {
      const author = await browser.newContext();
      const authorPage = await author.newPage();
      await signUpAs(authorPage);
      const tag = unique('tag');
      const { id } = await apiPostComment(authorPage, `First thoughts ${tag}`);
      await editThroughPage(authorPage, id, `Second thoughts ${tag}`);
      await author.close();

      const response = await page.goto(`${ARTICLE_PATH}/comments/${id}/history`);
      expect(response?.status()).toBe(200);
      const versions = page.getByRole('list', { name: 'Versions, oldest first' }).getByRole('listitem');
      await expect(versions).toHaveCount(2);
      await expect(versions.nth(0)).toContainText('First thoughts');
      await expect(versions.nth(1).locator('.history__diff del')).toHaveText('[removed: First]');
      await expect(versions.nth(1).locator('.history__diff ins')).toHaveText('[added: Second]');
      // The full text of a later version opens without a script.
      await versions.nth(1).getByText('Full text of version 2').click();
      await expect(versions.nth(1).locator('.comment__body')).toContainText('Second thoughts');
    });

    test('a moderator edits a comment with a reason; readers see "a moderator" and the reason in its history', async ({ page, browser }) => {
      const author = await browser.newContext({ javaScriptEnabled: false });
      const authorPage = await author.newPage();
      await signUpAs(authorPage);
      const original = unique('Call me on 555-0100');
      const { id } = await apiPostComment(authorPage, original);
      await author.close();

      const moderator = newReader('Moderator');
      await signUpAs(page, moderator);
      grantRole(moderator, 'moderator');
      await page.goto(`${ARTICLE_PATH}/comments/${id}/moderate`);
      await expect(page.getByRole('heading', { name: 'Edit as a moderator' })).toBeVisible();
      const redacted = original.replace('on 555-0100', 'here');
      await page.getByLabel('Text of the comment').fill(redacted);
      // The reason is required: an empty one is refused, and the text typed is kept.
      await page.getByLabel(/^Reason/).fill(' ');
      await page.getByRole('button', { name: 'Save the edit' }).click();
      await expect(page.getByText('Say why you changed the comment; readers see it in its history.')).toBeVisible();
      await expect(page.getByLabel('Text of the comment')).toHaveValue(redacted);
      await page.getByLabel(/^Reason/).fill('Removed a phone number');
      await page.getByRole('button', { name: 'Save the edit' }).click();
      await expect(commentByText(page, redacted)).toBeVisible();

      const reader = await browser.newContext({ javaScriptEnabled: false });
      const readerPage = await reader.newPage();
      await readerPage.goto(`${ARTICLE_PATH}?comment=${id}`);
      await readerPage.locator(`#comment-${id}`).getByRole('link', { name: /^edited/ }).click();
      const versions = readerPage.getByRole('list', { name: 'Versions, oldest first' }).getByRole('listitem');
      await expect(versions).toHaveCount(2);
      await expect(versions.nth(1)).toContainText('by a moderator. Reason: Removed a phone number');
      await expect(versions.nth(1).locator('.history__diff del').first()).toContainText('555');
      await reader.close();
    });

    test('a comment its author deleted keeps its place for its replies, and its history is gone', async ({ page, browser }) => {
      await signUpAs(page);
      const { id } = await apiPostComment(page, unique('Soon regretted'));
      await editThroughPage(page, id, unique('Regretted more'));
      const replier = await browser.newContext();
      const replierPage = await replier.newPage();
      await signUpAs(replierPage, newReader('Replier'));
      const reply = unique('A reply that stays');
      await apiPostComment(replierPage, reply, { parentId: id });
      await replier.close();

      await page.goto(`${ARTICLE_PATH}/comments/${id}/delete`);
      await page.getByRole('button', { name: 'Yes, delete it' }).click();
      await expect(page.getByText('Your comment was deleted.')).toBeVisible();
      await page.goto(`${ARTICLE_PATH}?comment=${id}`);
      await expect(page.locator(`#comment-${id}`)).toHaveText('Deleted by its author.');
      await expect(commentByText(page, reply)).toBeVisible();

      await page.goto(`${ARTICLE_PATH}/comments/${id}/history`);
      await expect(page.getByText('This comment was deleted by its author. Its text and its earlier versions were removed with it.')).toBeVisible();
      await expect(page.getByRole('list', { name: 'Versions, oldest first' })).toHaveCount(0);
      await expect(page.getByText('Soon regretted')).toHaveCount(0);
    });
  });
});
