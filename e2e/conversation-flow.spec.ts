import type { Page } from '@playwright/test';
import { ARTICLE_PATH, apiPostComment, commentByText, expect, postAsSomeoneElse, signUpAs, test } from './fixtures';

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

/*
 * Point 9: errors follow the text. A refusal used to stay on screen while the reader fixed the
 * text, a paste past the limit was cut at 10,000 characters without a word, and without
 * JavaScript a vote dropped the reader's order.
 */
test.describe('errors that follow the text, with JavaScript', () => {
  test('a refusal clears as soon as the text changes', async ({ page }) => {
    await signUpAs(page);
    await page.goto(ARTICLE_PATH);
    const box = page.getByLabel('Your comment', { exact: true });
    await box.fill('   ');
    await page.getByRole('button', { name: 'Post comment' }).click();
    const refusal = page.getByText('Write something before posting: the comment is empty.');
    await expect(refusal).toBeVisible();
    await expect(box).toBeFocused();
    await page.keyboard.type('Now with words');
    await expect(refusal).toHaveCount(0);
    await expect(box).not.toHaveAttribute('aria-invalid', 'true');
  });

  test('a paste over the limit is kept whole, marked, and Post waits until it fits', async ({ page }) => {
    await signUpAs(page);
    await page.goto(ARTICLE_PATH);
    const box = page.getByLabel('Your comment', { exact: true });
    const pasted = 'z'.repeat(12_000);
    await box.fill(pasted);
    await expect(box).toHaveValue(pasted);
    await expect(page.getByText('Comments can be up to 5,000 characters; yours has 12,000.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Post comment' })).toBeDisabled();
    await box.fill('z'.repeat(5_000));
    await expect(page.getByText(/Comments can be up to 5,000 characters/)).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Post comment' })).toBeEnabled();
  });
});

test.describe('errors that follow the text, without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a refused post comes back at the box, with the error in view and the text kept', async ({ page }) => {
    await signUpAs(page);
    await page.goto(`${ARTICLE_PATH}?sort=newest`);
    const long = 'q'.repeat(5_001);
    await page.getByLabel('Your comment', { exact: true }).fill(long);
    await page.getByRole('button', { name: 'Post comment' }).click();
    await expect(page).toHaveURL(new RegExp(`${ARTICLE_PATH}\\?sort=newest#comment-form$`));
    const refusal = page.getByText('Comments can be up to 5,000 characters; yours has 5,001.');
    await expect(refusal).toBeInViewport();
    await expect(page.getByLabel('Your comment', { exact: true })).toHaveValue(long);
  });

  test('a vote comes back to the same order, at the comment', async ({ page, browser }) => {
    // Someone else's comment: readers do not vote on their own.
    const { id } = await postAsSomeoneElse(browser, unique('Worth a vote'));
    await signUpAs(page);
    await page.goto(`${ARTICLE_PATH}?sort=newest`);
    const comment = page.locator(`#comment-${id}`);
    await comment.getByRole('button', { name: /Up-vote/ }).click();
    await expect(page).toHaveURL(new RegExp(`${ARTICLE_PATH}\\?sort=newest#comment-${id}$`));
    await expect(comment.getByRole('button', { name: /Up-vote, 1 vote/ })).toHaveAttribute('aria-pressed', 'true');
    await expect(comment).toBeInViewport();
  });
});

/* Point 12: a preview of the comment as it will be posted, through the server's own sanitizer. */
for (const javaScriptEnabled of [true, false]) {
  test(`"Preview" shows the comment as it will be posted, ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await signUpAs(page);
    await page.goto(ARTICLE_PATH);
    const box = page.getByLabel('Your comment', { exact: true });
    const marker = unique('Preview me');
    const text = `${marker} **bold**, <script>alert(1)</script> and [a trap](javascript:alert(1))`;
    await box.fill(text);
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await expect(preview).toBeVisible();
    await expect(preview.locator('strong')).toHaveText('bold');
    // Raw HTML shows as text, and a script link is not a link: what the sanitizer does to a post.
    await expect(preview).toContainText('<script>alert(1)</script>');
    await expect(preview.locator('a')).toHaveCount(0);
    await expect(box).toHaveValue(text);
    // Nothing was posted.
    await page.goto(`${ARTICLE_PATH}?sort=newest`);
    await expect(page.locator('.threads').first()).toBeVisible();
    await expect(commentByText(page, marker)).toHaveCount(0);
    await context.close();
  });
}

test('a preview goes once the text changes, and the posted comment matches it', async ({ page }) => {
  await signUpAs(page);
  await page.goto(ARTICLE_PATH);
  const box = page.getByLabel('Your comment', { exact: true });
  const text = `${unique('Matching')} with *emphasis* and a list:\n\n- one\n- two`;
  await box.fill(text);
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  const preview = page.getByRole('region', { name: 'Preview' });
  await expect(preview.locator('li')).toHaveCount(2);
  const previewHtml = await preview.locator('.comment__body').innerHTML();
  await page.getByRole('button', { name: 'Hide preview' }).click();
  await expect(preview).toHaveCount(0);
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  await expect(preview).toBeVisible();
  await box.press('End');
  await page.keyboard.type(' ');
  await expect(preview).toHaveCount(0);
  await box.fill(text);
  await page.getByRole('button', { name: 'Post comment' }).click();
  const posted = commentByText(page, text.split(' with ')[0]!);
  await expect(posted).toBeVisible();
  expect(await posted.locator('.comment__body').innerHTML()).toBe(previewHtml);
});

/*
 * Point 4: "N new comments" used to sit far above the reader, and when the new comment was on
 * another page of the order, showing it changed nothing visible. Now a pill stays in sight, and
 * showing puts each new comment where it belongs, or in a "New since you arrived" strip.
 */
test('the new-comments pill is in sight at the foot of the screen, and shows a comment in place, focused', async ({ page, browser }) => {
  await page.goto(`${ARTICLE_PATH}?sort=newest`);
  // The reader has read down to the end of the page.
  await page.locator('.site-footer').scrollIntoViewIfNeeded();
  const text = unique('Arrives in place');
  const { id } = await postAsSomeoneElse(browser, text);
  const pill = page.getByRole('button', { name: /new comments?, show/ });
  await expect(pill).toBeInViewport({ timeout: 20_000 });
  await pill.click();
  const arrived = page.locator(`#comment-${id}`);
  await expect(arrived).toBeFocused();
  await expect(arrived).toBeInViewport();
  await expect(arrived).toContainText(text);
  await expect(page.getByRole('region', { name: 'New since you arrived' })).toHaveCount(0);
  await expect(pill).toHaveCount(0);
});

test('new comments that belong elsewhere show in a "New since you arrived" strip, focused', async ({ page, browser }) => {
  // The reader is reading the answers to one question; the new comment answers none.
  await page.goto(`${ARTICLE_PATH}?question=growth`);
  const text = unique('Arrives elsewhere');
  const { id } = await postAsSomeoneElse(browser, text);
  const pill = page.getByRole('button', { name: /new comments?, show/ });
  await expect(pill).toBeInViewport({ timeout: 20_000 });
  await pill.click();
  const strip = page.getByRole('region', { name: 'New since you arrived' });
  await expect(strip).toBeVisible();
  const arrived = strip.locator(`#new-${id}`);
  await expect(arrived).toContainText(text);
  await expect(arrived).toBeFocused();
  await expect(arrived).toBeInViewport();
  // Not drawn among the growth answers, where it does not belong.
  await expect(page.locator(`#comment-${id}`)).toHaveCount(0);
});

/* Points 5 and 6: Delete asks once, in place; focus goes on to the next comment; Undo brings it back. */
test('by keyboard, Delete asks in place, Escape takes it back, and a delete moves focus to the next comment, with an Undo', async ({ page, browser }) => {
  await signUpAs(page);
  const text = unique('Deleted in place');
  const { id } = await apiPostComment(page, `${text} with **bold**`);
  const nextText = unique('The comment after it');
  await postAsSomeoneElse(browser, nextText);
  const here = `${ARTICLE_PATH}?comment=${id}`;
  await page.goto(here);
  const comment = page.locator(`#comment-${id}`);
  const link = comment.getByRole('link', { name: 'Delete', exact: true });
  await link.focus();
  await page.keyboard.press('Enter');
  const confirm = comment.getByRole('button', { name: 'Yes, delete it' });
  await expect(confirm, 'the confirmation opens in the comment and takes focus').toBeFocused();
  expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(here);

  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(link, 'Escape gives focus back to Delete').toBeFocused();

  await page.keyboard.press('Enter');
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText('Your comment was deleted.')).toBeVisible();
  await expect(page.getByText(text)).toBeHidden();
  await expect(commentByText(page, nextText), 'focus moves on to the next comment').toBeFocused();

  await page.getByRole('button', { name: 'Undo' }).click();
  const restored = page.locator(`#comment-${id}`);
  await expect(restored).toContainText(text);
  await expect(restored.locator('strong')).toHaveText('bold');
  await expect(restored, 'the comment comes back focused').toBeFocused();
});

test('a deleted comment stays deleted after a reload when the Undo is not used', async ({ page }) => {
  await signUpAs(page);
  const text = unique('Gone for good');
  const { id } = await apiPostComment(page, text);
  await page.goto(`${ARTICLE_PATH}?comment=${id}`);
  const comment = page.locator(`#comment-${id}`);
  await comment.getByRole('link', { name: 'Delete', exact: true }).click();
  await comment.getByRole('button', { name: 'Yes, delete it' }).click();
  await expect(page.getByText('Your comment was deleted.')).toBeVisible();
  await page.reload();
  await expect(page.getByText(text)).toHaveCount(0);
});

test('by keyboard, answering the poll moves focus to its results, not to <body>', async ({ page }) => {
  await signUpAs(page);
  await page.goto(ARTICLE_PATH);
  const poll = page.locator('#question-targets');
  const choice = poll.getByRole('radio', { name: 'Yes' });
  await choice.focus();
  await page.keyboard.press('Space');
  await expect(poll.getByText('Your answer is saved.')).toBeVisible();
  const results = poll.getByRole('list', { name: /^Results: / });
  await expect(results).toBeFocused();
  await expect(results).toContainText('(your answer)');
});
