import { ARTICLE_PATH, commentByText, expect, signUpAs, test } from './fixtures';

/*
 * Issue 13: taking part never loses the reader's words. Each test here reproduces one defect
 * the issue lists, as a reader meets it.
 */

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

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
