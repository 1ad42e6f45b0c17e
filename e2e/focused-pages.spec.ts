import type { Browser, BrowserContext, Page } from '@playwright/test';
import { ARTICLE_PATH, apiPostComment, commentByText, expect, expectNoAxeViolations, fillSignIn, grantRole, newReader, signUpAs, test, type Reader } from './fixtures';

/*
 * A comment's focused pages (/articles/{slug}/comments/{id}/{action}): one comment, one form.
 * Each form, with and without JavaScript, ends back on the article at the comment.
 * (Named to run after comments.spec.ts: the threads posted here would push that spec's new
 * comments off the first page of the oldest-first order it reads signed out.)
 */

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
const focused = (id: number, action: string) => `${ARTICLE_PATH}/comments/${id}/${action}`;

type Signed = { reader: Reader; state: Awaited<ReturnType<BrowserContext['storageState']>> };
let author: Signed;
let other: Signed;
let moderator: Signed;

async function signedUp(browser: Browser, name: string): Promise<Signed> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const reader = await signUpAs(page, newReader(name));
  const state = await context.storageState();
  await context.close();
  return { reader, state };
}

test.beforeAll(async ({ browser }) => {
  // Three sign-ups hash three passwords: slow on a busy machine.
  test.setTimeout(120_000);
  author = await signedUp(browser, 'Ana Author');
  other = await signedUp(browser, 'Otto Other');
  moderator = await signedUp(browser, 'Mona Moderator');
  grantRole(moderator.reader, 'moderator');
});

/** A page signed in as `who`, with or without JavaScript. */
async function as(browser: Browser, who: Signed, javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled, storageState: who.state });
  return context.newPage();
}

async function postAs(browser: Browser, who: Signed, body: string, extra: Record<string, unknown> = {}): Promise<number> {
  const page = await as(browser, who, true);
  const { id } = await apiPostComment(page, body, extra);
  await page.context().close();
  return id;
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  test.describe(`a comment's focused pages ${mode}`, () => {
    test('a reader replies from the reply page and lands on the article at the reply', async ({ browser }) => {
      const text = unique('Worth answering');
      const id = await postAs(browser, author, text);
      const page = await as(browser, other, javaScriptEnabled);
      await page.goto(focused(id, 'reply'));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reply to Ana Author');
      await expect(page.getByRole('article').locator('.comment__body')).toHaveText(text);
      await expect(page.getByRole('link', { name: 'Back to the discussion' })).toHaveAttribute('href', `${ARTICLE_PATH}?comment=${id}#comment-${id}`);
      const reply = unique('My answer');
      await page.locator('#form').getByLabel(/^Reply to /).fill(reply);
      await page.getByRole('button', { name: 'Post reply' }).click();
      // The discussion at the reply: its thread's page, or the page that opens at it.
      await expect(page).toHaveURL(new RegExp(`^[^?#]*${ARTICLE_PATH}(\\?comment=\\d+)?#comment-\\d+$`));
      await expect(commentByText(page, reply)).toBeVisible();
      await expect(commentByText(page, reply).locator('.comment__author')).toHaveText('Otto Other');
      // With JavaScript the router follows the redirect, where :target does not fire: the reply is focused instead.
      if (javaScriptEnabled) await expect(commentByText(page, reply)).toBeFocused();
      await page.context().close();
    });

    test('the author edits their comment and the article shows the new text', async ({ browser }) => {
      const id = await postAs(browser, author, unique('Before the edit'));
      const page = await as(browser, author, javaScriptEnabled);
      await page.goto(`${focused(id, 'edit')}#form`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit your comment');
      const edited = unique('After the edit');
      await page.locator('#form').getByLabel('Edit your comment').fill(edited);
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expect(page).toHaveURL(`${ARTICLE_PATH}?comment=${id}#comment-${id}`);
      await expect(page.locator(`#comment-${id} .comment__body`)).toHaveText(edited);
      await page.context().close();
    });

    test('the author deletes their comment and the article says "Deleted by its author."', async ({ browser }) => {
      const id = await postAs(browser, author, unique('To be deleted'));
      // A deleted comment stays in its place, as "Deleted by its author.", while it has replies.
      const replyText = unique('A reply that stays');
      await postAs(browser, other, replyText, { parentId: id });
      const page = await as(browser, author, javaScriptEnabled);
      await page.goto(focused(id, 'delete'));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Delete your comment');
      await page.getByRole('button', { name: 'Yes, delete it' }).click();
      // Done, with an Undo for a moment; then back to the article at the comment.
      await expect(page.getByText('Your comment was deleted.')).toBeVisible();
      await expect(page.getByRole('button', { name: 'Undo' })).toBeVisible();
      await page.getByRole('link', { name: 'Back to the discussion' }).click();
      await expect(page).toHaveURL(`${ARTICLE_PATH}?comment=${id}#comment-${id}`);
      await expect(page.locator(`#comment-${id}`)).toHaveText('Deleted by its author.');
      await expect(commentByText(page, replyText)).toBeVisible();
      await page.context().close();
    });

    test('a reader reports another’s comment, and its report page then says it was reported', async ({ browser }) => {
      const id = await postAs(browser, author, unique('Questionable'));
      const page = await as(browser, other, javaScriptEnabled);
      await page.goto(focused(id, 'report'));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Report a comment');
      await page.getByRole('radio', { name: 'Spam' }).check();
      await page.getByRole('button', { name: 'Send report' }).click();
      // With JavaScript the thanks are shown on the report page; without, the form post goes back to the comment.
      if (javaScriptEnabled) await expect(page.getByText('Thank you. The moderators will look at it.')).toBeVisible();
      // ...where it shows: the first page of the discussion, or the linked-comment view when it is further on.
      else {
        await expect(page).toHaveURL(new RegExp(`${ARTICLE_PATH}(\\?comment=${id})?#comment-${id}$`));
        await expect(page.locator(`#comment-${id}`)).toBeVisible();
      }
      await page.goto(focused(id, 'report'));
      await expect(page.getByRole('status')).toHaveText('You have already reported this comment.');
      await expect(page.getByRole('button', { name: 'Send report' })).toHaveCount(0);
      await page.context().close();
    });

    test('a moderator makes a comment an editor’s pick, then hides it', async ({ browser }) => {
      const text = unique('Picked then hidden');
      const id = await postAs(browser, author, text);
      const page = await as(browser, moderator, javaScriptEnabled);
      await page.goto(focused(id, 'moderate'));
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Moderate a comment');
      await page.getByRole('button', { name: 'Make editor’s pick' }).click();
      await expect(page).toHaveURL(`${ARTICLE_PATH}?comment=${id}#comment-${id}`);
      await expect(page.locator(`#comment-${id}`).getByText('Editor’s pick', { exact: true })).toBeVisible();

      await page.goto(focused(id, 'moderate'));
      await expect(page.getByRole('button', { name: 'Remove editor’s pick' })).toBeVisible();
      await page.getByRole('button', { name: 'Hide' }).click();
      await expect(page).toHaveURL(`${ARTICLE_PATH}?comment=${id}#comment-${id}`);
      await expect(commentByText(page, text)).toHaveCount(0);
      await page.context().close();
    });

    test('another reader opening the edit page of someone else’s comment is refused, with no form', async ({ browser }) => {
      const id = await postAs(browser, author, unique('Not yours'));
      const page = await as(browser, other, javaScriptEnabled);
      const response = await page.goto(focused(id, 'edit'));
      expect(response?.status()).toBe(200);
      await expect(page.getByText('You can only change your own comments.')).toBeVisible();
      await expect(page.locator('#form')).toHaveCount(0);
      await expect(page.getByRole('textbox')).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Save changes' })).toHaveCount(0);
      await expect(page.getByRole('link', { name: 'Back to the discussion' })).toBeVisible();
      await page.context().close();
    });

    test('a signed-out reader is sent to sign in, and comes back to the focused page', async ({ browser }) => {
      const id = await postAs(browser, author, unique('Sign in to answer'));
      const context = await browser.newContext({ javaScriptEnabled });
      const page = await context.newPage();
      await page.goto(focused(id, 'reply'));
      await expect(page).toHaveURL(`/signin?callbackUrl=${encodeURIComponent(focused(id, 'reply'))}`);
      await fillSignIn(page, other.reader.email, other.reader.password);
      await expect(page).toHaveURL(focused(id, 'reply'), { timeout: 15_000 });
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reply to Ana Author');
      await expect(page.locator('#form').getByLabel(/^Reply to /)).toBeVisible();
      await context.close();
    });
  });
}

test('an unknown action, another article’s address or someone else’s held comment is a 404', async ({ browser }) => {
  const visible = await postAs(browser, author, unique('Plainly visible'));
  const held = await postAs(browser, author, unique('Held for casino-bonus review'));
  const page = await as(browser, other, false);
  expect((await page.goto(focused(visible, 'frobnicate')))?.status()).toBe(404);
  expect((await page.goto(`/articles/no-such-article/comments/${visible}/reply`))?.status()).toBe(404);
  expect((await page.goto(focused(held, 'report')))?.status()).toBe(404);
  expect((await page.goto(focused(held, 'reply')))?.status()).toBe(404);
  await page.context().close();
  // Its author still sees it, and may edit it.
  const own = await as(browser, author, false);
  expect((await own.goto(focused(held, 'edit')))?.status()).toBe(200);
  await expect(own.getByRole('heading', { level: 1 })).toHaveText('Edit your comment');
  await own.context().close();
});

for (const colorScheme of ['light', 'dark'] as const) {
  for (const width of [1280, 320]) {
    test(`a focused page has no axe violations (${colorScheme}, ${width}px wide)`, async ({ browser }) => {
      const id = await postAs(browser, author, unique('Accessible **comment**'));
      const page = await as(browser, other, true);
      await page.setViewportSize({ width, height: 800 });
      await page.emulateMedia({ colorScheme });
      await page.goto(focused(id, 'report'));
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expectNoAxeViolations(page);
      // Nothing runs off the side of a narrow screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page.context().close();
    });
  }
}
