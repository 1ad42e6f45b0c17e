import { expect, type APIRequestContext } from '@playwright/test';
import { ARTICLE_PATH, apiPostComment, newReader, signUpAs, test } from './fixtures';

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

/** The cached newest-first view a signed-out reader gets, as HTML. */
async function signedOutView(request: APIRequestContext): Promise<string> {
  return (await request.get(`${ARTICLE_PATH}?sort=newest`)).text();
}

/*
 * Writes to one article within REVALIDATE_WINDOW_MS (1 s) share one refresh of its cached
 * pages: the first refreshes them at once, the rest when the window ends. Neither may be lost.
 */
test('a burst of writes reaches signed-out readers: the first at once, the last when the window ends', async ({ page, browser }) => {
  await signUpAs(page, newReader('Burst Poster'));
  const anon = await browser.newContext();
  const first = unique('Burst first');
  const last = unique('Burst last');

  await apiPostComment(page, first);
  await expect.poll(() => signedOutView(anon.request), { timeout: 5_000 }).toContain(first);
  // Usually within the window of the first refresh: no refresh now, one when the window ends.
  await apiPostComment(page, last);
  await expect.poll(() => signedOutView(anon.request), { timeout: 5_000 }).toContain(last);
  await anon.close();
});
