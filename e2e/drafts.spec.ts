import type { Page } from '@playwright/test';
import { ARTICLE_PATH, QUESTIONS, apiPostComment, commentByText, expect, fillSignIn, newReader, postAsSomeoneElse, signOut, signUpAs, test } from './fixtures';

/*
 * Issue 13, point 3: a reader's words survive every way off the page. Signed out, text typed in
 * the box used to be lost by the header's "Sign in", the "Sign in to comment" link, a sort or a
 * tab, or a reload; only the "Sign in to post" button kept it, and it dropped the question.
 */

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
const commentBox = (page: Page) => page.getByLabel('Your comment', { exact: true });
const answerBox = (page: Page) => page.getByLabel('Your answer', { exact: true });
const account = (page: Page) => page.getByRole('navigation', { name: 'Account' });

/** Types as a person does (key presses), which also gives the page the user activation that a leave warning needs. */
async function typeInto(page: Page, box: ReturnType<Page['getByLabel']>, text: string) {
  await box.click();
  await page.keyboard.type(text);
  await expect(box).toHaveValue(text);
}

test.describe('with JavaScript, every box keeps its text in the browser', () => {
  test('a reload brings the text back, with a way to discard it', async ({ page }) => {
    await page.goto(ARTICLE_PATH);
    const text = unique('Half a thought');
    await typeInto(page, commentBox(page), text);
    // The reader reloads on purpose: the page asks first, and the text comes back anyway.
    page.once('dialog', (dialog) => dialog.accept());
    await page.reload();
    await expect(commentBox(page)).toHaveValue(text);
    await expect(page.getByText('Your unsent text was restored.')).toBeVisible();
    await page.getByRole('button', { name: 'Discard it' }).click();
    await expect(commentBox(page)).toHaveValue('');
    await page.reload();
    await expect(commentBox(page)).toHaveValue('');
  });

  test('sorting and switching tabs keep each box its own text', async ({ page }) => {
    await page.goto(ARTICLE_PATH);
    const comment = unique('A general remark');
    await typeInto(page, commentBox(page), comment);
    await page.getByRole('navigation', { name: 'Sort comments' }).getByRole('link', { name: 'Newest' }).click();
    await expect(page).toHaveURL(/sort=newest/);
    await expect(commentBox(page)).toHaveValue(comment);

    const tabs = page.getByRole('navigation', { name: 'Filter by question' });
    await tabs.getByRole('link', { name: /^Targets/ }).click();
    await expect(page).toHaveURL(/question=targets/);
    await expect(answerBox(page)).toHaveValue('');
    const answer = unique('They will hit 100 million');
    await typeInto(page, answerBox(page), answer);
    await tabs.getByRole('link', { name: /^All/ }).click();
    await expect(commentBox(page)).toHaveValue(comment);
    await tabs.getByRole('link', { name: /^Targets/ }).click();
    await expect(answerBox(page)).toHaveValue(answer);
  });

  test('leaving the page with unsent text asks first, and staying keeps the text', async ({ page }) => {
    await page.goto(ARTICLE_PATH);
    const text = unique('Not sent yet');
    await typeInto(page, commentBox(page), text);
    const asked = page.waitForEvent('dialog');
    const leaving = page.goto('/').catch(() => null);
    const dialog = await asked;
    expect(dialog.type()).toBe('beforeunload');
    await dialog.dismiss();
    await leaving;
    await expect(page).toHaveURL(new RegExp(`${ARTICLE_PATH}$`));
    await expect(commentBox(page)).toHaveValue(text);
  });

  for (const [how, follow] of [
    ['the header’s “Sign in”', (page: Page) => account(page).getByRole('link', { name: 'Sign in' }).click()],
    ['“Sign in to comment”', (page: Page) => page.getByRole('link', { name: 'Sign in to comment' }).click()],
  ] as const) {
    test(`an answer typed signed out survives ${how}, question and all`, async ({ page, browser }) => {
      // An account made in another browser, so this one is still signed out.
      const other = await browser.newContext();
      const reader = await signUpAs(await other.newPage(), newReader('Returning Reader'));
      await other.close();

      await page.goto(`${ARTICLE_PATH}?question=targets`);
      const answer = unique('Targets look reachable');
      await typeInto(page, answerBox(page), answer);
      await follow(page);
      await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
      // Nothing here may ask "leave this page?": the text went with the reader.
      await fillSignIn(page, reader.email, reader.password);
      await expect(page).toHaveURL(`${ARTICLE_PATH}?question=targets#comment-form`);
      await expect(page.getByText(`Answering: ${QUESTIONS[1]}`)).toBeVisible();
      await expect(answerBox(page)).toHaveValue(answer);
      await page.getByRole('button', { name: 'Post answer' }).click();
      const posted = commentByText(page, answer);
      await expect(posted).toBeVisible();
      await expect(posted.locator('.tag').first()).toHaveText('Answers: Targets');
      // Posted: the box is empty, and stays empty on the next visit.
      await expect(answerBox(page)).toHaveValue('');
      await page.goto(`${ARTICLE_PATH}?question=targets`);
      await expect(answerBox(page)).toHaveValue('');
    });
  }

  test('an edit in progress survives a reload, and saving clears it', async ({ page }) => {
    await signUpAs(page);
    const original = unique('First wording');
    const { id } = await apiPostComment(page, original);
    await page.goto(`${ARTICLE_PATH}/comments/${id}/edit`);
    const box = page.getByLabel('Edit your comment');
    await box.fill('');
    const changed = unique('Second wording');
    await typeInto(page, box, changed);
    page.once('dialog', (dialog) => dialog.accept());
    await page.reload();
    await expect(box).toHaveValue(changed);
    await expect(page.getByText('Your unsaved changes were restored.')).toBeVisible();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(commentByText(page, changed)).toBeVisible();
    await page.goto(`${ARTICLE_PATH}/comments/${id}/edit`);
    await expect(box).toHaveValue(changed);
    await expect(page.getByText('Your unsaved changes were restored.')).toHaveCount(0);
  });

  test('signing out leaves no draft behind for the next person', async ({ page }) => {
    await signUpAs(page);
    await page.goto(ARTICLE_PATH);
    const text = unique('Private musings');
    await typeInto(page, commentBox(page), text);
    page.once('dialog', (dialog) => dialog.accept());
    await signOut(page);
    await page.goto(ARTICLE_PATH);
    await expect(commentBox(page)).toHaveValue('');
    expect(await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('draft:')))).toEqual([]);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('"Sign in to post" from a question tab keeps the text and the question', async ({ page, browser }) => {
    const other = await browser.newContext();
    const reader = await signUpAs(await other.newPage(), newReader('No Script Reader'));
    await other.close();

    await page.goto(`${ARTICLE_PATH}?question=growth`);
    const answer = unique('Growth came from offline stores');
    await answerBox(page).fill(answer);
    await page.getByRole('button', { name: 'Sign in to post' }).click();
    await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
    await fillSignIn(page, reader.email, reader.password);
    await expect(page).toHaveURL(`${ARTICLE_PATH}?question=growth#comment-form`);
    await expect(page.getByText(`Answering: ${QUESTIONS[0]}`)).toBeVisible();
    await expect(answerBox(page)).toHaveValue(answer);
  });

  test('"Sign in to comment" on a question tab comes back to that tab', async ({ page }) => {
    await page.goto(`${ARTICLE_PATH}?question=next-focus`);
    const link = page.getByRole('link', { name: 'Sign in to comment' });
    await expect(link).toHaveAttribute('href', `/signin?callbackUrl=${encodeURIComponent(`${ARTICLE_PATH}?question=next-focus#discussion`)}`);
  });
});

/* Point 6: Cancel and Escape leave a comment as it was. */
test('Escape and Cancel close the editor and leave the comment unchanged', async ({ page }) => {
  await signUpAs(page);
  const original = unique('Leave me be');
  const { id } = await apiPostComment(page, original);
  const box = page.getByLabel('Edit your comment');

  await page.goto(`${ARTICLE_PATH}/comments/${id}/edit`);
  await box.fill(unique('A change I regret'));
  await box.press('Escape');
  await expect(page).toHaveURL(new RegExp(`${ARTICLE_PATH}\\?comment=${id}#comment-${id}$`));
  await expect(page.locator(`#comment-${id}`)).toContainText(original);

  await page.goto(`${ARTICLE_PATH}/comments/${id}/edit`);
  await expect(box).toHaveValue(original);
  await box.fill(unique('Another change I regret'));
  await page.getByRole('link', { name: 'Cancel' }).click();
  await expect(page.locator(`#comment-${id}`)).toContainText(original);
  await page.goto(`${ARTICLE_PATH}/comments/${id}/edit`);
  await expect(box).toHaveValue(original);
});

/* Point 5: opening Reply puts the reader in its box; Escape goes back to the comment. */
test('Reply opens with the focus in its box, and Escape goes back to the comment', async ({ page, browser }) => {
  const { id } = await postAsSomeoneElse(browser, unique('Reply to me'));
  await signUpAs(page);
  await page.goto(`${ARTICLE_PATH}?comment=${id}`);
  await page.locator(`#comment-${id}`).getByRole('link', { name: 'Reply' }).click();
  const box = page.getByRole('textbox', { name: /^Reply to / });
  await expect(box).toBeFocused();
  await page.keyboard.type('Second thoughts');
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(new RegExp(`${ARTICLE_PATH}\\?comment=${id}#comment-${id}$`));
  await page.locator(`#comment-${id}`).getByRole('link', { name: 'Reply' }).click();
  await expect(box).toHaveValue('');
});

/* Point 6: a delete can be taken back for a moment, and the comment returns exactly. */
for (const javaScriptEnabled of [true, false]) {
  test(`"Undo" after a delete brings the comment back as it was, ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await signUpAs(page);
    const text = unique('Deleted in haste');
    const { id } = await apiPostComment(page, `${text} with **bold**`);
    await page.goto(`${ARTICLE_PATH}/comments/${id}/delete`);
    await page.getByRole('button', { name: 'Yes, delete it' }).click();
    await expect(page.getByText('Your comment was deleted.')).toBeVisible();
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect(page).toHaveURL(new RegExp(`${ARTICLE_PATH}\\?comment=${id}#comment-${id}$`));
    const restored = page.locator(`#comment-${id}`);
    await expect(restored).toContainText(text);
    await expect(restored.locator('strong')).toHaveText('bold');
    await context.close();
  });
}

test('the Undo is offered for about ten seconds', async ({ page }) => {
  await signUpAs(page);
  const { id } = await apiPostComment(page, unique('Short-lived'));
  await page.goto(`${ARTICLE_PATH}/comments/${id}/delete`);
  await page.getByRole('button', { name: 'Yes, delete it' }).click();
  const undo = page.getByRole('button', { name: 'Undo' });
  await expect(undo).toBeVisible();
  await expect(undo).toBeHidden({ timeout: 15_000 });
  await expect(page.getByText('Your comment was deleted.')).toBeVisible();
});
