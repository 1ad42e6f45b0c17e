import type { Browser, Page } from '@playwright/test';
import { ARTICLE_PATH, apiPostComment, expect, grantRole, newReader, signUpAs, test, type Reader } from './fixtures';

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

test('two readers and a moderator loading the page together each get only their own controls, name and votes', async ({ browser }) => {
  test.setTimeout(90_000);
  const run = Date.now();
  const ana = await party(browser, 'Isolation Ana', `Ana's view ${run}`);
  const ben = await party(browser, 'Isolation Ben', `Ben's view ${run}`);
  const mod = await party(browser, 'Isolation Mod', `The moderator's view ${run}`);
  grantRole(mod.reader, 'moderator');

  // Ana up-votes Ben's comment; nobody else has voted on it.
  await ana.page.goto(`${ARTICLE_PATH}?sort=newest`);
  await ana.page.locator(`article#comment-${ben.commentId}`).getByRole('button', { name: /^Up-vote/ }).click();
  await expect(ana.page.locator(`article#comment-${ben.commentId}`).getByRole('button', { name: /^Up-vote/, pressed: true })).toBeVisible();

  const parties = [ana, ben, mod];
  for (let round = 0; round < 3; round += 1) {
    await Promise.all(parties.map((p) => p.page.goto(`${ARTICLE_PATH}?sort=newest`)));
    for (const viewer of parties) {
      const header = viewer.page.getByRole('navigation', { name: 'Account' });
      await expect(header).toContainText(viewer.reader.name);
      for (const other of parties.filter((p) => p !== viewer)) await expect(header).not.toContainText(other.reader.name);

      for (const author of parties) {
        const own = author === viewer;
        const seen = await controls(viewer.page, author.commentId);
        expect(seen.edit, `${viewer.reader.name} on ${author.reader.name}'s comment: edit`).toBe(own ? 1 : 0);
        expect(seen.delete, `${viewer.reader.name} on ${author.reader.name}'s comment: delete`).toBe(own ? 1 : 0);
        expect(seen.hide, `${viewer.reader.name} on ${author.reader.name}'s comment: hide`).toBe(viewer === mod ? 1 : 0);
        expect(seen.voted, `${viewer.reader.name} on ${author.reader.name}'s comment: voted`).toBe(viewer === ana && author === ben ? 1 : 0);
      }
    }
  }
  for (const p of parties) await p.page.context().close();
});
