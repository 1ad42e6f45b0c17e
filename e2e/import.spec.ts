import { execFileSync } from 'node:child_process';
import { expect, type Page } from '@playwright/test';
import { ARTICLE_PATH, E2E_DB_PATH, expectNoAxeViolations, signUpAs, test } from './fixtures';

/*
 * `npm run import` against the running e2e server's database, then the article as readers see
 * it: the imported threads, with JavaScript on and off, on a page that was cached before the
 * import (the command marks it for a new render: app/_lib/http/outside-changes.mjs).
 */

function runImport(format: 'wordpress' | 'disqus', file: string): string {
  return execFileSync(process.execPath, ['--import', 'tsx', '--conditions=react-server', 'scripts/import.ts', format, file], {
    env: { ...process.env, DATABASE_PATH: E2E_DB_PATH },
    encoding: 'utf8',
  });
}

async function expectImportedThreads(page: Page) {
  const discussion = page.getByRole('region', { name: 'Discussion' });
  const first = discussion.getByRole('article', { name: 'Zoë Müller' }).filter({ hasText: 'Impressive quarter for the Mi 6.' });
  await expect(first).toBeVisible();
  await expect(first.getByRole('link', { name: "IDC's numbers" })).toHaveAttribute('rel', 'ugc nofollow noopener noreferrer');
  await expect(first.locator('time')).toHaveAttribute('datetime', '2017-08-02T10:15:00.000Z');
  await expect(discussion.getByRole('article', { name: '李雷' })).toContainText('Offline stores made the difference in China.');
  await expect(discussion.getByRole('article', { name: 'Ana Lucía Peña' })).toContainText('Redmi 4A sold out in minutes.');
  // The fourth level sits at the deepest one, naming whom it answers.
  const deep = discussion.getByRole('article', { name: 'Zoë Müller' }).filter({ hasText: 'Four levels deep' });
  await expect(deep.getByText('replying to')).toContainText('replying to Ana Lucía Peña');
  await expect(discussion.getByRole('article', { name: 'Orphaned Olga' })).toBeVisible();
  await expect(discussion.getByRole('article', { name: 'Дмитрий Иванов' })).toContainText('and the Redmi 4 series in India.');
  // Held, spam, trash and pingbacks are not shown; no script or handler survived.
  for (const hidden of ['Waiting for moderation', 'Buy cheap pills', 'Trashed by the editor', 'best quarter ever', 'Replica Seller']) {
    await expect(discussion.getByText(hidden)).toHaveCount(0);
  }
  await expect(discussion.locator('.comment__body script, .comment__body [onclick], .comment__body [onmouseover], .comment__body img')).toHaveCount(0);
  const html = await page.content();
  for (const secret of ['zoe.muller@example.com', 'lilei@example.cn', '203.0.113.77', '192.0.2.201']) expect(html).not.toContain(secret);
}

test.describe.configure({ mode: 'serial' });

test('imported WordPress and Disqus threads show on the article, cached before the import, with JavaScript on and off', async ({ page, browser }) => {
  page.on('dialog', (dialog) => {
    throw new Error(`a script from an imported comment ran: ${dialog.message()}`);
  });
  // Cached for signed-out readers before the import: the page, its comments feed and its card.
  await page.goto(ARTICLE_PATH);
  await expect(page.getByRole('article', { name: 'Zoë Müller' })).toHaveCount(0);
  const feedBefore = await (await page.request.get(`${ARTICLE_PATH}/comments.xml`)).text();
  expect(feedBefore).not.toContain('Impressive quarter for the Mi 6.');
  const cardBefore = await (await page.request.get(`${ARTICLE_PATH}/card.png`)).body();
  expect(await (await page.request.get(`${ARTICLE_PATH}/card.png`)).body()).toEqual(cardBefore);

  const wordpress = runImport('wordpress', 'e2e/fixtures/import/wordpress.xml');
  expect(wordpress).toMatch(/xiaomi-q2-2017-smartphone-shipments\s+9\s+1\s+0\s+2\s+0\s+1\s+1\s+0/);
  expect(wordpress).toContain('https://oldblog.example/2017/09/redmi-note-5-launch/: 2 comment(s), no article with that path or slug');
  const disqus = runImport('disqus', 'e2e/fixtures/import/disqus.xml');
  expect(disqus).toMatch(/xiaomi-q2-2017-smartphone-shipments\s+7\s+1\s+0\s+0\s+1\s+0\s+1\s+0/);
  // Idempotent: the same file again adds nothing.
  expect(runImport('wordpress', 'e2e/fixtures/import/wordpress.xml')).toMatch(/xiaomi-q2-2017-smartphone-shipments\s+0\s+0\s+9\s/);

  await page.goto(ARTICLE_PATH);
  await expectImportedThreads(page);
  // The feed and the card were cached too, and follow the import as the page does.
  const feedAfter = await (await page.request.get(`${ARTICLE_PATH}/comments.xml`)).text();
  expect(feedAfter).toContain('Impressive quarter for the Mi 6.');
  expect(feedAfter).not.toContain('zoe.muller@example.com');
  const cardAfter = await (await page.request.get(`${ARTICLE_PATH}/card.png`)).body();
  expect(cardAfter.equals(cardBefore), 'the card shows the new comment count').toBe(false);

  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(ARTICLE_PATH);
  await expectImportedThreads(plain);
  await noScript.close();
});

test('a reader who signs up with the address of an imported author claims those comments from the profile', async ({ page }) => {
  // Ana Lucía's address from the WordPress fixture, imported by the test above.
  await signUpAs(page, { name: 'Ana Peña', email: 'ana@example.es', password: 'correct horse battery' });
  await page.goto('/profile');
  const section = page.getByRole('region', { name: 'Comments imported under your address' });
  await expect(section).toContainText('One comment from this site’s earlier comment system was written with your email address, as “Ana Lucía Peña”.');
  await expectNoAxeViolations(page);
  await section.getByRole('button', { name: 'Claim this comment' }).click();
  await expect(page.getByRole('status').filter({ hasText: '1 imported comment now shows your name.' })).toBeVisible();
  await expect(section).toHaveCount(0);
  await page.goto(ARTICLE_PATH);
  await expect(page.getByRole('article', { name: 'Ana Peña' })).toContainText('Redmi 4A sold out in minutes.');
  await expect(page.getByRole('article', { name: 'Ana Lucía Peña' })).toHaveCount(0);
});
