import { ARTICLE_PATH, commentByText, expect, postAsSomeoneElse, signUpAs, test } from './fixtures';

/*
 * Issue 13, point 5: keyboard-only runs of taking part. Each step starts where a reader who tabs
 * would be (focus on the control), is done with the keyboard alone, and asserts where focus
 * lands: never on <body>. Deleting and the poll are in conversation-flow.spec.ts.
 */

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

test('post, reply, edit and vote by keyboard alone, with focus on the result after each step', async ({ page, browser }) => {
  await signUpAs(page);
  await page.goto(ARTICLE_PATH);
  const focusedId = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

  // Post: type in the box, Tab to "Post comment", Enter. The comment is focused where it lands.
  const text = unique('Typed and posted by keyboard');
  const box = page.getByRole('textbox', { name: 'Your comment', exact: true });
  await box.focus();
  await page.keyboard.type(text);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Post comment' })).toBeFocused();
  await page.keyboard.press('Enter');
  const mine = commentByText(page, text);
  await expect(mine).toBeFocused();
  const id = (await mine.getAttribute('id'))!.replace('comment-', '');

  // Reply: Enter on the comment's "Reply" opens its box, focused; the posted reply is focused.
  await mine.getByRole('link', { name: 'Reply', exact: true }).focus();
  await page.keyboard.press('Enter');
  const replyBox = page.getByRole('textbox', { name: /^Reply to / });
  await expect(replyBox).toBeFocused();
  const reply = unique('A keyboard reply');
  await page.keyboard.type(reply);
  await page.getByRole('button', { name: 'Post reply' }).focus();
  await page.keyboard.press('Enter');
  await expect(commentByText(page, reply)).toBeFocused();

  // Edit: Enter on "Edit" opens the editor with the box focused; saved, the comment is focused.
  await page.goto(`${ARTICLE_PATH}?comment=${id}`);
  await page.locator(`#comment-${id}`).getByRole('link', { name: 'Edit', exact: true }).focus();
  await page.keyboard.press('Enter');
  const editBox = page.getByRole('textbox', { name: 'Edit your comment' });
  await expect(editBox).toBeFocused();
  await page.keyboard.press('End');
  await page.keyboard.type(' (edited)');
  await page.getByRole('button', { name: 'Save changes' }).focus();
  await page.keyboard.press('Enter');
  const edited = page.locator(`#comment-${id}`);
  await expect(edited).toContainText(`${text} (edited)`);
  await expect(edited, `focus after saving, on ${await focusedId()}`).toBeFocused();

  // Vote: Enter on another reader's up-vote presses it, and focus stays on the button.
  const other = unique('Worth an up-vote');
  const { id: otherId } = await postAsSomeoneElse(browser, other);
  await page.goto(`${ARTICLE_PATH}?comment=${otherId}`);
  const vote = page.locator(`#comment-${otherId}`).getByRole('button', { name: /Up-vote/ });
  await vote.focus();
  await page.keyboard.press('Enter');
  await expect(vote).toHaveAttribute('aria-pressed', 'true');
  await expect(vote).toBeFocused();
});

test('search from the header by keyboard alone: Tab reaches the box with a visible focus ring, Enter searches', async ({ page }) => {
  await page.goto('/');
  const box = page.getByRole('search', { name: 'Site search' }).getByRole('searchbox', { name: 'Search' });
  for (let i = 0; i < 6 && !(await box.evaluate((el) => el === document.activeElement)); i += 1) await page.keyboard.press('Tab');
  await expect(box).toBeFocused();
  expect(await box.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
  await page.keyboard.type('Xiaomi shipments');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL('/search?q=xiaomi+shipments');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Search results for “xiaomi shipments”');
  // Tab from the results' own box reaches the first result.
  await page.getByRole('search', { name: 'Search again' }).getByRole('button', { name: 'Search' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('region', { name: /^Results in / }).getByRole('link').first()).toBeFocused();
});
