import type { Page } from '@playwright/test';
import { ARTICLE_PATH, ARTICLE_SLUG, ARTICLE_TITLE, apiPostComment, commentByText, expect, expectNoAxeViolations, newReader, signUpAs, test } from './fixtures';

/*
 * Issue 17, search: /search?q= over the articles and their visible comments (SQLite FTS5),
 * results grouped by article with highlighted, escaped snippets, each linking to its comment;
 * paged with a cursor; all without JavaScript. Hostile queries get a message, never a 500.
 */

/** One word FTS5 keeps whole (letters and digits), unique to this test. */
const uniqueWord = (label: string) => `${label}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

test.use({ javaScriptEnabled: false });

const results = (page: Page) => page.getByRole('region', { name: /^Results in / });

async function search(page: Page, q: string, extra = '') {
  await page.goto(`/search?q=${encodeURIComponent(q)}${extra}`);
}

test('finds a comment right after it is posted, links to it, and forgets it once deleted', async ({ page }) => {
  const word = uniqueWord('pangolin');
  await signUpAs(page, newReader('Search Author'));
  const text = `The ${word} took the quarter by surprise.`;
  const { id } = await apiPostComment(page, text);

  await search(page, word);
  const group = results(page);
  await expect(group).toHaveCount(1);
  await expect(group.getByRole('heading', { level: 2 })).toHaveText(ARTICLE_TITLE);
  const hit = group.getByRole('listitem');
  await expect(hit).toHaveCount(1);
  await expect(hit).toContainText(text);
  await expect(hit.locator('mark')).toHaveText(word);
  await hit.getByRole('link', { name: /Search Author/ }).click();
  await expect(page).toHaveURL(`${ARTICLE_PATH}?comment=${id}#comment-${id}`);
  await expect(commentByText(page, text)).toBeVisible();

  // Deleted by its author (the plain form, without JavaScript): gone from the results.
  await commentByText(page, text).getByText('Delete', { exact: true }).click();
  await commentByText(page, text).getByRole('button', { name: 'Yes, delete it' }).click();
  await expect(page.getByText('Your comment was deleted.')).toBeVisible();
  await search(page, word);
  await expect(results(page)).toHaveCount(0);
  await expect(page.getByRole('main')).toContainText(`Nothing found for “${word}”.`);
});

test('a comment held for review is not found; its author’s page says nothing else either', async ({ page }) => {
  const word = uniqueWord('axolotl');
  await signUpAs(page);
  await apiPostComment(page, `A casino-bonus offer about ${word}.`);
  await search(page, word);
  await expect(page.getByRole('main')).toContainText(`Nothing found for “${word}”.`);
});

test('markup in a comment is shown as text in its snippet, never run or drawn', async ({ page }) => {
  const word = uniqueWord('iguana');
  await signUpAs(page);
  const text = `<b>bold</b> <script>document.title="owned"</script> <img src=x onerror=alert(1)> ${word}`;
  await apiPostComment(page, text);
  await search(page, word);
  const hit = results(page).getByRole('listitem');
  await expect(hit).toContainText('<b>bold</b> <script>document.title="owned"</script> <img src=x onerror=alert(1)>');
  await expect(hit.locator('b, script, img')).toHaveCount(0);
  await expect(page).not.toHaveTitle('owned');
});

test('pages through results with a cursor, newest first, none twice', async ({ page }) => {
  test.setTimeout(60_000);
  const word = uniqueWord('marmoset');
  await signUpAs(page);
  const posted: string[] = [];
  for (let i = 1; i <= 23; i += 1) {
    posted.push(`Note ${i} on the ${word}.`);
    await apiPostComment(page, posted.at(-1)!);
  }
  await search(page, word);
  const first = await results(page).getByRole('listitem').allTextContents();
  expect(first).toHaveLength(20);
  expect(first[0]).toContain('Note 23 on');
  await page.getByRole('link', { name: 'Older results' }).click();
  await expect(page).toHaveURL(/[?&]after=\d+/);
  const second = await results(page).getByRole('listitem').allTextContents();
  expect(second.map((t) => /Note (\d+) on/.exec(t)?.[1])).toEqual(['3', '2', '1']);
  await expect(page.getByRole('link', { name: 'Older results' })).toHaveCount(0);
});

test('finds the article by its own text, grouped with its comments', async ({ page }) => {
  const word = uniqueWord('shipments');
  await signUpAs(page);
  await apiPostComment(page, `Xiaomi shipments and the ${word}.`);
  await search(page, 'Xiaomi shipments');
  await expect(page).toHaveURL('/search?q=xiaomi+shipments');
  const group = results(page).filter({ has: page.getByRole('heading', { name: ARTICLE_TITLE }) });
  await expect(group).toHaveCount(1);
  // The article's own snippet, then its comments.
  await expect(group.locator('.search-group__article mark').first()).toBeVisible();
  await expect(group.getByRole('listitem').filter({ hasText: word })).toHaveCount(1);

  // Signed out, the same search comes from the page cache, with the same results.
  await page.context().clearCookies();
  await search(page, 'xiaomi shipments');
  await expect(page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(group.getByRole('listitem').filter({ hasText: word })).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath('search-results.png'), fullPage: true });
});

test('the header’s search box works without JavaScript, and the results page keeps the search in its own box', async ({ page }) => {
  const word = uniqueWord('gecko');
  await signUpAs(page);
  await apiPostComment(page, `A ${word} near the home page.`);
  await page.goto('/');
  const box = page.getByRole('search', { name: 'Site search' }).getByRole('searchbox', { name: 'Search' });
  await box.fill(`"${word.toUpperCase()}" NEAR(`);
  await box.press('Enter');
  // Normalized: one address per search, so a shared cache keeps one copy.
  await expect(page).toHaveURL(`/search?q=${word}+near`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Search results for “${word} near”`);
  await expect(page.getByRole('search', { name: 'Search again' }).getByRole('searchbox')).toHaveValue(`${word} near`);
  await expect(results(page).getByRole('listitem')).toHaveCount(1);
});

test('"search this discussion" on the article searches that article only', async ({ page }) => {
  const word = uniqueWord('okapi');
  await signUpAs(page);
  await apiPostComment(page, `An ${word} in this discussion.`);
  await page.goto(ARTICLE_PATH);
  const form = page.getByRole('search', { name: 'Search this discussion' });
  await form.getByRole('searchbox').fill(word);
  await form.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(`/search?q=${word}&article=${ARTICLE_SLUG}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`in “${ARTICLE_TITLE}”`);
  await expect(results(page).getByRole('listitem')).toHaveCount(1);
  await page.getByRole('link', { name: 'Search the whole site' }).click();
  await expect(page).toHaveURL(`/search?q=${word}`);
});

test.describe('with JavaScript', () => {
  test.use({ javaScriptEnabled: true });

  test('the header box, the scope link and paging links work as they do without it', async ({ page }) => {
    const word = uniqueWord('tapir');
    await signUpAs(page);
    await apiPostComment(page, `A ${word} with scripts on.`);
    await page.goto(ARTICLE_PATH);
    const form = page.getByRole('search', { name: 'Search this discussion' });
    await form.getByRole('searchbox').fill(word.toUpperCase());
    await form.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(`/search?q=${word}&article=${ARTICLE_SLUG}`);
    await expect(results(page).getByRole('listitem')).toHaveCount(1);
    await page.getByRole('link', { name: 'Search the whole site' }).click();
    await expect(page).toHaveURL(`/search?q=${word}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Search results for “${word}”`);
    await expect(results(page).getByRole('listitem')).toHaveCount(1);
  });
});

test('says what is wrong with an empty, wordless or over-long search', async ({ page }) => {
  await page.goto('/search');
  await expect(page.getByRole('main')).toContainText('Type one or more words to search');
  await page.goto('/search?q=');
  await expect(page.getByRole('main')).toContainText('Type at least one word');
  await page.goto('/search?q=%22*()%5E%3A');
  await expect(page.getByRole('main')).toContainText('Type at least one word');
  await page.goto(`/search?q=${'a'.repeat(201)}`);
  await expect(page.getByRole('main')).toContainText('That search is too long: type at most 200 characters.');
});

test('hostile queries get a page with a message or results, never a server error', async ({ page }) => {
  const hostile = [
    'q=%22unbalanced',
    'q=NEAR(xiaomi%20redmi%2C%205)',
    'q=xiao*',
    'q=body_markdown%3Axiaomi',
    'q=(xiaomi%20OR%20redmi)%20NOT%20note',
    'q=%5Exiaomi',
    'q=-xiaomi',
    'q=%7Bbody_markdown%7D%3A%20x',
    'q=AND',
    'q=x%00y',
    'q=%00',
    'q=%C3%28',
    'q=%FF%FE',
    'q=%',
    'q=%zz',
    'q=%E0%A4%A',
    `q=${'x%20'.repeat(2600)}`,
    `q=${'%22'.repeat(10_000)}`,
    'q=xiaomi&article=%FF',
    'q=xiaomi&article=no-such-article',
    'q=xiaomi&after=%00',
    'q=xiaomi&after=99999999999999999999999',
    'q=xiaomi&q=redmi',
  ];
  for (const query of hostile) {
    const response = await page.request.get(`/search?${query}`);
    expect(response.status(), query.slice(0, 80)).toBeLessThan(500);
    if (response.status() === 200) expect(await response.text(), query.slice(0, 80)).toMatch(/Search results for|Nothing found|Type at least one word|too long|No article/);
  }
});

test('a signed-out page may be kept by a shared cache for a few seconds; a signed-in reader’s never', async ({ page, request }) => {
  const signedOut = await request.get('/search?q=xiaomi');
  expect(signedOut.headers()['cache-control']).toMatch(/^public, max-age=0, s-maxage=\d+/);
  // Served from the page cache, as every signed-out reader gets the same bytes: hashes, no nonce.
  expect(signedOut.headers()['content-security-policy']).toContain("script-src 'self' 'sha256-");
  const reader = await signUpAs(page, newReader('Searching Reader'));
  const signedIn = await page.request.get('/search?q=xiaomi');
  expect(signedIn.headers()['cache-control']).toBe('private, no-store');
  await page.goto('/search?q=xiaomi');
  await expect(page.getByRole('navigation', { name: 'Account' })).toContainText(`Signed in as ${reader.name}`);
  // A redirect to the normalized address is shared too: it depends on the address alone.
  const redirect = await request.get('/search?q=XIAOMI', { maxRedirects: 0 });
  expect(redirect.status()).toBe(308);
  expect(redirect.headers().location).toBe('/search?q=xiaomi');
});

test('a signed-out search is answered from the page cache, and still finds a comment posted after it was stored', async ({ page, request }) => {
  const word = uniqueWord('quagga');
  const address = `/search?q=${word}`;
  expect(await (await request.get(address)).text()).toContain(`Nothing found for “${word}”.`);
  const again = await request.get(address);
  expect(again.headers()['x-nextjs-cache']).toBe('HIT');
  expect(await again.text()).toContain(`Nothing found for “${word}”.`);

  await signUpAs(page, newReader('Cached Search Author'));
  const text = `The ${word} counted the shipments twice.`;
  const { id } = await apiPostComment(page, text);
  // The signed-out reader's next search for it finds it: the post made the stored result stale.
  const answer = await request.get(address);
  expect(answer.status()).toBe(200);
  const html = await answer.text();
  expect(html).not.toContain(`Nothing found for “${word}”.`);
  expect(html).toContain(`comment=${id}#comment-${id}`);
});

test('a signed-in reader’s search is the stored one with their name in the header, and shows their own new comment at once', async ({ page, request }) => {
  const word = uniqueWord('dugong');
  const reader = await signUpAs(page, newReader('Stored Search Reader'));
  await search(page, word);
  await expect(page.getByRole('main')).toContainText(`Nothing found for “${word}”.`);
  // Stored by that search: a signed-out reader's copy comes from the page cache.
  expect((await request.get(`/search?q=${word}`)).headers()['x-nextjs-cache']).toBe('HIT');

  const text = `A ${word} in the second quarter.`;
  const { id } = await apiPostComment(page, text);
  await search(page, word);
  await expect(page.getByRole('navigation', { name: 'Account' })).toContainText(`Signed in as ${reader.name}`);
  const hit = results(page).getByRole('listitem');
  await expect(hit).toHaveCount(1);
  await expect(hit.getByRole('link', { name: /Stored Search Reader/ })).toHaveAttribute('href', `${ARTICLE_PATH}?comment=${id}#comment-${id}`);
  // The reader's sign-out works from it.
  await page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' })).toBeVisible();
});

// axe runs in the page: this one test has JavaScript (the file's others run without).
test.describe('on a phone', () => {
  test.use({ javaScriptEnabled: true });
test('the results and the header’s box fit a 320 px screen, with no axe violations in light or dark @phone', async ({ page }) => {
  test.setTimeout(60_000); // a sign-up, two pages and two axe runs
  const word = uniqueWord('narrowscreen');
  await signUpAs(page);
  await apiPostComment(page, `A long ${word} comment: ${'averyveryverylongwordwithoutanyspaces'.repeat(3)} on a phone.`);
  await page.setViewportSize({ width: 320, height: 700 });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await search(page, word);
    await expect(results(page).getByRole('listitem')).toHaveCount(1);
    await expect(page.getByRole('search', { name: 'Site search' }).getByRole('searchbox')).toBeVisible();
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, header: document.querySelector('.site-header__inner')!.scrollWidth }));
    expect(widths.page).toBeLessThanOrEqual(320);
    expect(widths.header).toBeLessThanOrEqual(320);
    await expectNoAxeViolations(page);
  }
});
});
