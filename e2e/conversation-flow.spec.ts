import type { Page } from '@playwright/test';
import { ARTICLE_PATH, apiPostComment, commentByText, expect, signUpAs, test } from './fixtures';

/*
 * Issue 13: taking part never loses the reader's words. Each test here reproduces one defect
 * the issue lists, as a reader meets it.
 */

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

/** Types `text` into the box labelled `box`, presses `button`, and returns the posted comment and its element id. */
async function post(page: Page, box: string, button: string, text: string) {
  await page.getByLabel(box, { exact: true }).fill(text);
  await page.getByRole('button', { name: button }).click();
  const mine = commentByText(page, text);
  await expect(mine).toBeVisible();
  return { mine, id: await mine.getAttribute('id') };
}

test('a post whose request fails keeps the text in the box with the reason, and goes through on retry', async ({ page }) => {
  await signUpAs(page);
  await page.goto(ARTICLE_PATH);
  const text = unique('Sent over a flaky connection');
  const box = page.getByLabel('Your comment', { exact: true });
  await box.fill(text);

  // The first send dies on the way (the network drops, or the server is restarting).
  let aborted = 0;
  await page.route(
    (url) => url.pathname.startsWith(ARTICLE_PATH),
    async (route) => {
      if (route.request().method() === 'POST' && aborted === 0) {
        aborted++;
        return route.abort('internetdisconnected');
      }
      return route.fallback();
    },
  );
  await page.getByRole('button', { name: 'Post comment' }).click();
  const failure = page.locator('#comment-form').getByRole('alert');
  await expect(failure).toContainText('Couldn’t send');
  expect(aborted).toBe(1);
  await expect(box).toHaveValue(text);
  await expect(page.getByText('This page couldn’t load')).toHaveCount(0);

  await page.locator('#comment-form').getByRole('button', { name: 'Retry' }).click();
  await expect(commentByText(page, text)).toBeVisible();
  await expect(commentByText(page, text)).toHaveCount(1);
});

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  test.describe(`posting keeps the reader in the view they chose, ${mode}`, () => {
    test.use({ javaScriptEnabled });

    test('a comment posted under "newest" shows in place, at the top, with the other comments', async ({ page }) => {
      await signUpAs(page);
      const earlier = unique('An earlier comment');
      await apiPostComment(page, earlier);
      await page.goto(`${ARTICLE_PATH}?sort=newest`);
      const { mine, id } = await post(page, 'Your comment', 'Post comment', unique('Posted from the newest order'));
      await expect(page).toHaveURL(new RegExp(`\\?sort=newest#${id}$`));
      await expect(commentByText(page, earlier)).toBeVisible();
      // The new comment is the first thread of the newest-first order.
      await expect(page.locator('#discussion-comments > ol.threads > li > article.comment').first()).toHaveAttribute('id', id!);
      if (javaScriptEnabled) {
        await expect(mine).toBeFocused();
        await expect(mine).toHaveClass(/comment--arrived/);
        await expect(page.locator('#discussion p.visually-hidden[role="status"]')).toHaveText('Comment posted');
      } else {
        expect(await mine.evaluate((element) => element.matches(':target'))).toBe(true);
      }
    });

    test('an answer posted from a question tab stays on that tab', async ({ page }) => {
      await signUpAs(page);
      await page.goto(`${ARTICLE_PATH}?question=growth`);
      const { mine, id } = await post(page, 'Your answer', 'Post answer', unique('An answer from the growth tab'));
      // On the tab's page, or (when the tab holds more answers than a page) its page that opens at it.
      await expect(page).toHaveURL(new RegExp(`\\?question=growth[^#]*#${id}$`));
      await expect(page.getByRole('navigation', { name: 'Filter by question' }).getByRole('link', { name: /^Growth/ })).toHaveAttribute('aria-current', 'page');
      if (javaScriptEnabled) {
        await expect(mine).toBeFocused();
        await expect(page.locator('#discussion p.visually-hidden[role="status"]')).toHaveText('Answer posted');
      }
    });
  });
}

test('a post refused once, then cut off, then retried, is still focused where it lands', async ({ page }) => {
  await signUpAs(page);
  await page.goto(`${ARTICLE_PATH}?sort=newest`);
  const box = page.getByLabel('Your comment', { exact: true });
  await box.fill('   ');
  await page.getByRole('button', { name: 'Post comment' }).click();
  await expect(page.getByText('Write something before posting: the comment is empty.')).toBeVisible();

  const text = unique('Sent again after a refusal and a dropped connection');
  await box.fill(text);
  let aborted = 0;
  await page.route(
    (url) => url.pathname.startsWith(ARTICLE_PATH),
    (route) => (route.request().method() === 'POST' && aborted++ === 0 ? route.abort('internetdisconnected') : route.fallback()),
  );
  await page.getByRole('button', { name: 'Post comment' }).click();
  await expect(page.locator('#comment-form').getByRole('alert').filter({ hasText: 'Couldn’t send' })).toBeVisible();
  await page.locator('#comment-form').getByRole('button', { name: 'Retry' }).click();
  const mine = commentByText(page, text);
  await expect(mine).toBeVisible();
  await expect(mine).toBeFocused();
  await expect(page.locator('#discussion p.visually-hidden[role="status"]')).toHaveText('Comment posted');
});
