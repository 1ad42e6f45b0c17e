import type { Browser, Page } from '@playwright/test';
import { ARTICLE_PATH, ARTICLE_TITLE, apiPostComment, commentByText, expect, grantRole as grant, newReader, signUpAs, test, type Reader } from './fixtures';

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;


async function readerPage(browser: Browser, name: string): Promise<{ page: Page; reader: Reader; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const reader = await signUpAs(page, newReader(name));
  return { page, reader, close: () => context.close() };
}

let moderator: { page: Page; reader: Reader; close: () => Promise<void> };

test.beforeAll(async ({ browser }) => {
  moderator = await readerPage(browser, 'Mod Erator');
  grant(moderator.reader, 'admin');
});
test.afterAll(async () => {
  await moderator.close();
});

/** The queue entry for a comment, on the moderation page. */
async function queueEntry(text: string) {
  await moderator.page.goto('/moderation');
  return moderator.page.locator('.queue__item').filter({ hasText: text });
}

test('three reports hide a comment until a moderator restores it', async ({ browser, page }) => {
  test.setTimeout(60_000); // four readers sign up, and three of them post before reporting
  const author = await readerPage(browser, 'Reported Author');
  const text = unique('A comment readers dislike');
  const comment = await apiPostComment(author.page, text);

  for (let i = 0; i < 3; i += 1) {
    const reporter = await readerPage(browser, `Reporter ${i}`);
    // Only reporters with a shown comment of their own count toward hiding one (defect 13).
    await apiPostComment(reporter.page, unique(`Reporter ${i} on topic`));
    await reporter.page.goto(`${ARTICLE_PATH}?comment=${comment.id}`);
    const target = commentByText(reporter.page, text);
    await target.getByText('Report', { exact: true }).click();
    await target.getByLabel(i === 1 ? 'Abusive or hateful' : 'Spam').check();
    await target.getByRole('button', { name: 'Send report' }).click();
    // Every reporter is thanked, the one whose report hides it too (issue 13, point 7).
    await expect(reporter.page.getByText('Thank you. The moderators will look at it.')).toBeVisible();
    if (i === 2) {
      // The third report reaches the threshold: the comment is hidden at once.
      await expect(target).toHaveCount(0);
      await expect(reporter.page.getByText('Readers’ reports have hidden the comment until a moderator reviews it.')).toBeVisible();
    }
    await reporter.close();
  }

  await page.goto(`${ARTICLE_PATH}?comment=${comment.id}`);
  await expect(commentByText(page, text)).toHaveCount(0);
  // Its author still sees it, and why (as a held comment is shown to its author).
  await author.page.goto(`${ARTICLE_PATH}?comment=${comment.id}`);
  await expect(commentByText(author.page, text)).toContainText('Hidden while a moderator reviews it: readers reported it.');

  const entry = await queueEntry(text);
  await expect(entry).toContainText('Hidden: reported by several readers');
  // Grouped by reason (issue 13, point 11); who reported, and when, on demand.
  const reports = entry.locator('details.queue__reports');
  await expect(reports.locator('summary')).toHaveText('3 reports: spam ×2, abuse ×1');
  await expect(entry.getByText('Reporter 1')).toBeHidden();
  await reports.locator('summary').click();
  const list = entry.getByRole('list', { name: 'Reports' });
  await expect(list.getByRole('listitem')).toHaveCount(3);
  await expect(list.getByRole('listitem').filter({ hasText: 'Reporter 1' })).toContainText(/Abusive or hateful · Reporter 1 · /);
  await entry.getByRole('button', { name: 'Restore' }).click();
  await expect(entry, 'a decided comment leaves the queue').toHaveCount(0);
  await page.goto(`${ARTICLE_PATH}?comment=${comment.id}`);
  await expect(commentByText(page, text)).toBeVisible();
  await author.page.goto(`${ARTICLE_PATH}?comment=${comment.id}`);
  await expect(commentByText(author.page, text)).not.toContainText('Hidden while');
  await author.close();
});

test('with first-comment pre-moderation, a new reader’s comment waits, and shows once approved', async ({ browser, page }) => {
  await moderator.page.goto('/moderation');
  const policy = moderator.page.locator('.mod-articles li').first();
  await policy.getByLabel('Pre-moderation').selectOption('first');
  await policy.getByRole('button', { name: 'Save policy' }).click();
  await expect(policy.getByText('Pre-moderation updated.')).toBeVisible();
  try {
    const newcomer = await readerPage(browser, 'New Comer');
    await newcomer.page.goto(ARTICLE_PATH);
    const text = unique('My very first comment');
    await newcomer.page.getByLabel('Your comment', { exact: true }).fill(text);
    await newcomer.page.getByRole('button', { name: 'Post comment' }).click();
    await expect(commentByText(newcomer.page, text)).toContainText('Awaiting review: only you can see this comment');
    const id = (await commentByText(newcomer.page, text).getAttribute('id'))!.replace('comment-', '');

    await page.goto(`${ARTICLE_PATH}?comment=${id}`);
    await expect(commentByText(page, text)).toHaveCount(0);

    const entry = await queueEntry(text);
    await expect(entry).toContainText('Held: first comment from a new reader');
    await entry.getByRole('button', { name: 'Approve' }).click();
    await expect(entry).toHaveCount(0);
    await page.goto(`${ARTICLE_PATH}?comment=${id}`);
    await expect(commentByText(page, text)).toBeVisible();

    // Approved once, the reader's next comment goes straight up.
    const second = unique('My second comment');
    await newcomer.page.goto(ARTICLE_PATH);
    await newcomer.page.getByLabel('Your comment', { exact: true }).fill(second);
    await newcomer.page.getByRole('button', { name: 'Post comment' }).click();
    await expect(commentByText(newcomer.page, second)).not.toContainText('Awaiting review');
    await newcomer.close();
  } finally {
    await moderator.page.goto('/moderation');
    await moderator.page.locator('.mod-articles li').first().getByLabel('Pre-moderation').selectOption('site');
    await moderator.page.locator('.mod-articles li').first().getByRole('button', { name: 'Save policy' }).click();
    await expect(moderator.page.getByText('Pre-moderation updated.')).toBeVisible();
  }
});

test('a comment with two links is held, and a moderator rejects it', async ({ browser, page }) => {
  const linker = await readerPage(browser, 'Link Poster');
  const text = unique('Deals at');
  await linker.page.goto(ARTICLE_PATH);
  await linker.page.getByLabel('Your comment', { exact: true }).fill(`${text} https://example.com/a and [this](https://example.org/b)`);
  await linker.page.getByRole('button', { name: 'Post comment' }).click();
  await expect(commentByText(linker.page, text)).toContainText('Awaiting review');
  await linker.close();

  const entry = await queueEntry(text);
  await expect(entry).toContainText('Held: contains several links');
  await entry.getByLabel('Reason', { exact: true }).fill('Link spam');
  await entry.getByRole('button', { name: 'Reject' }).click();
  await expect(entry).toHaveCount(0);
  await page.goto(`${ARTICLE_PATH}?sort=newest`);
  await expect(commentByText(page, text)).toHaveCount(0);
});

test('a banned reader cannot post and is told why; after the ban is lifted they can', async ({ browser }) => {
  const spammer = await readerPage(browser, 'Spam Mer');
  const text = unique('Best casino-bonus here');
  await apiPostComment(spammer.page, text);

  const entry = await queueEntry(text);
  await expect(entry).toContainText('Held: matches the word list');
  // Banning asks first, and says what it does (issue 13, point 11).
  await entry.locator('summary', { hasText: 'Ban Spam Mer…' }).click();
  await expect(entry.getByText('Spam Mer will not be able to comment, reply, vote, answer or report until the ban is lifted.')).toBeVisible();
  await entry.getByLabel('Reason (the reader sees it)').fill('Advertising');
  await entry.getByRole('button', { name: 'Yes, ban Spam Mer' }).click();
  await expect(moderator.page.getByRole('region', { name: /Banned readers/ })).toContainText('Spam Mer');

  await spammer.page.goto(ARTICLE_PATH);
  await expect(spammer.page.getByText('You are banned from the discussion until a moderator lifts it. Reason: Advertising')).toBeVisible();
  // The box is in every reader's copy of the page; a banned reader's hides it.
  await expect(spammer.page.getByRole('textbox', { name: 'Your comment', exact: true })).toHaveCount(0);
  const refused = await spammer.page.request.post(`/api/articles/xiaomi-q2-2017-smartphone-shipments/comments`, { data: { body: 'Sneaky' } });
  expect(refused.status()).toBe(403);

  await moderator.page.goto('/moderation');
  await moderator.page.getByRole('button', { name: 'Unban Spam Mer' }).click();
  await expect(moderator.page.getByRole('button', { name: 'Unban Spam Mer' })).toHaveCount(0);
  await spammer.page.goto(ARTICLE_PATH);
  await expect(spammer.page.getByLabel('Your comment', { exact: true })).toBeVisible();
  const after = unique('Back, and on topic');
  await spammer.page.getByLabel('Your comment', { exact: true }).fill(after);
  await spammer.page.getByRole('button', { name: 'Post comment' }).click();
  await expect(commentByText(spammer.page, after)).toBeVisible();
  await spammer.close();
});

test('a moderator features a comment as an editor’s pick, shown first', async ({ browser, page }) => {
  const author = await readerPage(browser, 'Insightful Reader');
  const text = unique('A thoughtful take on the 2018 goal');
  const comment = await apiPostComment(author.page, text);

  await moderator.page.goto(`${ARTICLE_PATH}?comment=${comment.id}`);
  // The shortcut is a link to the comment's moderation page, which has the button.
  await commentByText(moderator.page, text).getByRole('link', { name: 'Make editor’s pick' }).click();
  await commentByText(moderator.page, text).getByRole('button', { name: 'Make editor’s pick' }).click();
  await expect(commentByText(moderator.page, text).getByRole('link', { name: 'Remove editor’s pick' })).toBeVisible();

  await page.goto(ARTICLE_PATH);
  const picks = page.getByRole('region', { name: 'Editor’s picks' });
  await expect(picks).toContainText(text);
  const firstPick = picks.locator('.comment').first();
  await expect(firstPick).toContainText('Editor’s pick');
});

test('closing a discussion makes it read-only with a notice; reopening restores it', async ({ browser }) => {
  const reader = await readerPage(browser, 'Late Reader');
  await moderator.page.goto('/moderation');
  const discussion = moderator.page.locator('.mod-articles li').filter({ hasText: ARTICLE_TITLE });
  // Closing asks first (issue 13, point 11): the first press only says what it will do.
  await discussion.locator('summary', { hasText: 'Close discussion…' }).click();
  await expect(discussion.getByText('Readers keep reading it, but no one can comment, reply, vote or answer until it is reopened.')).toBeVisible();
  await reader.page.goto(ARTICLE_PATH);
  await expect(reader.page.getByLabel('Your comment', { exact: true }), 'not closed before the confirmation').toBeVisible();
  await discussion.getByRole('button', { name: 'Yes, close the discussion' }).click();
  await expect(moderator.page.getByText('The discussion is closed.')).toBeVisible();
  try {
    await reader.page.goto(ARTICLE_PATH);
    const notice = reader.page.getByText('The discussion on this article is closed. Comments, votes and answers are read-only.');
    await expect(notice).toBeVisible();
    // At the top of the discussion, above the question cards, not below them.
    const above = await notice.evaluate((el) => {
      const prompts = document.querySelector('.prompts');
      return prompts !== null && Boolean(el.compareDocumentPosition(prompts) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    expect(above, 'the closed notice comes before the question cards').toBe(true);
    await expect(reader.page.getByLabel('Your comment', { exact: true })).toHaveCount(0);
    await expect(reader.page.getByRole('button', { name: 'Give my answer' })).toHaveCount(0);
    const refused = await reader.page.request.post(`/api/articles/xiaomi-q2-2017-smartphone-shipments/comments`, { data: { body: 'Too late' } });
    expect(refused.status()).toBe(403);
  } finally {
    await moderator.page.goto('/moderation');
    await discussion.locator('summary', { hasText: 'Reopen discussion…' }).click();
    await discussion.getByRole('button', { name: 'Yes, reopen the discussion' }).click();
    await expect(moderator.page.getByText('The discussion is open again.')).toBeVisible();
  }
  await reader.page.goto(ARTICLE_PATH);
  await expect(reader.page.getByLabel('Your comment', { exact: true })).toBeVisible();
  await reader.close();
});

test('the audit log lists moderation actions for admins, and is closed to readers', async ({ page }) => {
  await moderator.page.goto('/moderation/audit');
  const rows = moderator.page.getByRole('table').getByRole('row');
  await expect(rows.filter({ hasText: 'article.close' }).first()).toContainText('Mod Erator');
  await expect(rows.filter({ hasText: 'user.ban' }).first()).toContainText('Advertising');

  await signUpAs(page);
  await page.goto('/moderation/audit');
  await expect(page.getByText('Only admins can do that.')).toBeVisible();
  await page.goto('/moderation');
  await expect(page.getByText('Only moderators can see this page.')).toBeVisible();
});

test('the queue approves and rejects several comments at once, with and without JavaScript', async ({ browser, page }) => {
  const author = await readerPage(browser, 'Bulk Poster');
  const [one, two, three] = [unique('Held casino-bonus one'), unique('Held casino-bonus two'), unique('Held casino-bonus three')];
  const texts = [one, two, three];
  for (const text of texts) await apiPostComment(author.page, text);
  await author.close();

  await moderator.page.goto('/moderation');
  const entry = (text: string) => moderator.page.locator('.queue__item').filter({ hasText: text });
  for (const text of texts) await expect(entry(text)).toContainText('Held: matches the word list');
  await entry(one).getByRole('checkbox', { name: /^Select/ }).check();
  await entry(two).getByRole('checkbox', { name: /^Select/ }).check();
  const bulk = moderator.page.getByRole('form', { name: 'Selected comments' });
  await bulk.getByRole('button', { name: 'Approve selected' }).click();
  await expect(bulk.getByRole('status')).toHaveText('Approved 2 comments: they are shown.');
  await expect(entry(one)).toHaveCount(0);
  await expect(entry(two)).toHaveCount(0);
  await expect(entry(three), 'an unselected comment stays in the queue').toHaveCount(1);
  for (const text of [one, two]) {
    await page.goto(`${ARTICLE_PATH}?sort=newest`);
    await expect(commentByText(page, text)).toBeVisible();
  }
  // Nothing selected: a clear message, nothing decided.
  await bulk.getByRole('button', { name: 'Reject selected' }).click();
  await expect(bulk.getByRole('status')).toHaveText('Select the comments to decide first.');
  await expect(entry(three)).toHaveCount(1);

  // Without JavaScript the same form posts and the page comes back with the result.
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await moderator.page.context().storageState() });
  const noJs = await context.newPage();
  await noJs.goto('/moderation');
  await noJs.locator('.queue__item').filter({ hasText: three }).getByRole('checkbox', { name: /^Select/ }).check();
  await noJs.getByRole('form', { name: 'Selected comments' }).getByRole('button', { name: 'Reject selected' }).click();
  await expect(noJs.getByRole('form', { name: 'Selected comments' }).getByRole('status')).toHaveText('Rejected 1 comment: it is hidden.');
  await expect(noJs.locator('.queue__item').filter({ hasText: three })).toHaveCount(0);
  await context.close();
  await page.goto(`${ARTICLE_PATH}?sort=newest`);
  await expect(commentByText(page, three)).toHaveCount(0);
});
