import type { Browser, Page } from '@playwright/test';
import { ARTICLE_PATH, apiPostComment, expect, fillSignIn, grantRole, newReader, signUpAs, test, type Reader } from './fixtures';

/*
 * Two readers and a moderator read the same discussion at the same moment. Each must get only
 * their own name, their own edit and delete controls, their own votes, and moderator controls
 * only for the moderator, however the server serves the page: the cached page with each reader's
 * parts written in (the usual way), or rendered for them (a reader with a comment held for review).
 */
type Party = { page: Page; reader: Reader; commentId: number };

async function party(browser: Browser, name: string, body: string): Promise<Party> {
  const page = await (await browser.newContext()).newPage();
  const reader = await signUpAs(page, newReader(name));
  const { id } = await apiPostComment(page, body);
  return { page, reader, commentId: id };
}

/** Which controls this page draws on one comment. */
async function controls(page: Page, id: number) {
  const comment = page.locator(`article#comment-${id}`);
  // Every control is in every reader's HTML; only the reader's own are visible (and have a role).
  const link = (name: string) => comment.getByRole('link', { name, exact: true });
  return {
    edit: await link('Edit').count(),
    delete: await link('Delete').count(),
    hide: await link('Hide').count(),
    voted: await comment.getByRole('button', { name: /^Up-vote/, pressed: true }).count(),
  };
}

/** The page's raw HTML for this reader, and whether a shared cache may keep it. */
async function rawPage(page: Page, url: string) {
  const response = await page.request.get(url);
  return { html: await response.text(), cacheControl: response.headers()['cache-control'] ?? '' };
}

test('two readers and a moderator loading the page together each get only their own controls, name, votes and draft', async ({ browser }) => {
  test.setTimeout(180_000);
  const run = Date.now();
  const ana = await party(browser, 'Isolation Ana', `Ana's view ${run}`);
  const mod = await party(browser, 'Isolation Mod', `The moderator's view ${run}`);
  grantRole(mod.reader, 'moderator');
  // Ben keeps a draft: typed signed out, then signed in, so his pages are rendered for him
  // alone while the others get the cached page with their parts written in.
  const benAccount = await party(browser, 'Isolation Ben', `Ben's view ${run}`);
  await benAccount.page.context().close();
  const benPage = await (await browser.newContext()).newPage();
  const draft = `Ben's unsent draft ${run}`;
  await benPage.goto(ARTICLE_PATH);
  await benPage.getByLabel('Your comment', { exact: true }).fill(draft);
  await benPage.getByRole('button', { name: 'Sign in to post' }).click();
  await fillSignIn(benPage, benAccount.reader.email, benAccount.reader.password);
  await expect(benPage.getByLabel('Your comment', { exact: true })).toHaveValue(draft);
  const ben = { ...benAccount, page: benPage };

  // Ana up-votes Ben's comment; nobody else has voted on it.
  await ana.page.goto(`${ARTICLE_PATH}?sort=newest`);
  await ana.page.locator(`article#comment-${ben.commentId}`).getByRole('button', { name: /^Up-vote/ }).click();
  await expect(ana.page.locator(`article#comment-${ben.commentId}`).getByRole('button', { name: /^Up-vote/, pressed: true })).toBeVisible();

  const parties = [ana, ben, mod];
  const url = `${ARTICLE_PATH}?sort=newest`;
  for (const javaScriptEnabled of [true, false]) {
    // The same readers (their cookies) in browsers with and without JavaScript.
    const pages = new Map<Party, Page>();
    for (const p of parties) {
      const context = await browser.newContext({ javaScriptEnabled, storageState: await p.page.context().storageState() });
      pages.set(p, await context.newPage());
    }
    for (let round = 0; round < 3; round += 1) {
      await Promise.all(parties.map((p) => pages.get(p)!.goto(url)));
      const raw = await Promise.all(parties.map((p) => rawPage(pages.get(p)!, url)));
      for (const [index, viewer] of parties.entries()) {
        const page = pages.get(viewer)!;
        const mode = `${viewer.reader.name}, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`;
        const header = page.getByRole('navigation', { name: 'Account' });
        await expect(header, mode).toContainText(viewer.reader.name);
        for (const other of parties.filter((p) => p !== viewer)) {
          await expect(header, mode).not.toContainText(other.reader.name);
          expect(raw[index]!.html, `${mode}: no other reader's name as the reader`).not.toContain(`Commenting as <strong>${other.reader.name}`);
        }
        expect(raw[index]!.cacheControl, `${mode}: never kept by a shared cache`).toMatch(/private|no-store/);
        await expect(page.getByLabel('Your comment', { exact: true }), mode).toHaveValue(viewer === ben ? draft : '');

        for (const author of parties) {
          const own = author === viewer;
          const seen = await controls(page, author.commentId);
          expect(seen.edit, `${mode} on ${author.reader.name}'s comment: edit`).toBe(own ? 1 : 0);
          expect(seen.delete, `${mode} on ${author.reader.name}'s comment: delete`).toBe(own ? 1 : 0);
          expect(seen.hide, `${mode} on ${author.reader.name}'s comment: hide`).toBe(viewer === mod ? 1 : 0);
          expect(seen.voted, `${mode} on ${author.reader.name}'s comment: voted`).toBe(viewer === ana && author === ben ? 1 : 0);
        }
      }
    }
    for (const page of pages.values()) await page.context().close();
  }
  for (const p of parties) await p.page.context().close();
});
