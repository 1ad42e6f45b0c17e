import {
  ARTICLE_PATH,
  ARTICLE_TITLE,
  QUESTIONS,
  articleParagraphs,
  expect,
  expectNoAxeViolations,
  test,
} from './fixtures';

test.describe('reading the article', () => {
  test('the home page lists the article with its summary and links to it', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Latest articles' })).toBeVisible();
    const link = page.getByRole('link', { name: ARTICLE_TITLE });
    await expect(link).toBeVisible();
    await expect(page.getByText(/shipped 23\.16 million smartphones in Q2 2017/)).toBeVisible();
    await link.click();
    await expect(page).toHaveURL(ARTICLE_PATH);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(ARTICLE_TITLE);
  });

  test('the article shows its title once, every paragraph, the disclosure and the source', async ({ page, articlePage }) => {
    await articlePage.goto();
    await expect(page).toHaveTitle(new RegExp(`^${ARTICLE_TITLE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
    await expect(page.getByText(ARTICLE_TITLE, { exact: true })).toHaveCount(1);

    for (const paragraph of articleParagraphs()) {
      await expect(articlePage.article.getByText(paragraph, { exact: true })).toBeVisible();
    }
    const disclosure = page.getByRole('complementary', { name: 'Disclosure' });
    await expect(disclosure).toHaveText('We may earn a commission for purchases made using our links.');
    await expect(articlePage.article.locator('.article__body')).not.toContainText('We may earn a commission');
    await expect(articlePage.article.getByText('Source: Press Release')).toBeVisible();
  });

  test('the discussion follows the article and lists its three questions in order', async ({ page, articlePage }) => {
    await articlePage.goto();
    await expect(articlePage.discussion).toBeVisible();
    const items = articlePage.discussion.getByRole('list', { name: 'The article asks' }).locator(':scope > li');
    await expect(items).toHaveCount(3);
    for (const [index, question] of QUESTIONS.entries()) await expect(items.nth(index)).toContainText(question);
    await expect(items.nth(1)).toContainText('Too early to tell');

    const order = await page.evaluate(() => {
      const article = document.querySelector('article');
      const discussion = document.querySelector('#discussion');
      return article && discussion ? article.compareDocumentPosition(discussion) : 0;
    });
    expect(order & 4, 'the discussion comes after the article').toBe(4);
  });

  test('an address no route knows is a 404 page too, with the site header', async ({ page }) => {
    const response = await page.goto('/no/such/page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await expect(page.getByRole('banner')).toHaveCount(1);
  });

  test('an unknown article is a real 404 page', async ({ page }) => {
    const response = await page.goto('/articles/no-such-article');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'See all articles' })).toBeVisible();
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the whole article and its questions are in the page', async ({ page, articlePage }) => {
    await articlePage.goto();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(ARTICLE_TITLE);
    for (const paragraph of articleParagraphs()) await expect(page.getByText(paragraph, { exact: true })).toBeVisible();
    for (const question of QUESTIONS) await expect(articlePage.discussion.getByText(question)).toBeVisible();
  });
});

test.describe('the server HTML, as a crawler receives it', () => {
  test('holds every paragraph, the metadata and NewsArticle JSON-LD', async ({ request, baseURL }) => {
    const response = await request.get(ARTICLE_PATH);
    expect(response.status()).toBe(200);
    const html = await response.text();
    const decoded = html.replace(/&amp;/g, '&').replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"');

    for (const paragraph of articleParagraphs()) expect(decoded).toContain(`<p>${paragraph}</p>`);
    for (const question of QUESTIONS) expect(decoded).toContain(question);

    const canonical = `${baseURL}${ARTICLE_PATH}`;
    expect(html).toContain(`<title>${ARTICLE_TITLE} · The Handset Ledger</title>`);
    expect(html).toMatch(/<meta name="description" content="In a letter to employees, Xiaomi CEO Lei Jun/);
    expect(html).toContain(`<link rel="canonical" href="${canonical}"/>`);
    expect(html).toContain(`<meta property="og:type" content="article"/>`);
    expect(html).toContain(`<meta property="og:title" content="${ARTICLE_TITLE}"/>`);
    expect(html).toContain(`<meta property="og:url" content="${canonical}"/>`);
    expect(html).toContain(`<meta name="twitter:card" content="summary_large_image"/>`);
    expect(html).toContain(`<meta name="twitter:title" content="${ARTICLE_TITLE}"/>`);

    const jsonLdText = html.match(/<script type="application\/ld\+json">(.*?)<\/script>/)?.[1];
    expect(jsonLdText).toBeTruthy();
    const jsonLd = JSON.parse(jsonLdText ?? '{}');
    expect(jsonLd).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: ARTICLE_TITLE,
      url: canonical,
      publisher: { '@type': 'Organization', name: 'The Handset Ledger' },
      isBasedOn: { name: 'Press Release' },
    });
    expect(jsonLd.articleBody).toContain('R&D');
    expect(jsonLd).not.toHaveProperty('datePublished');
  });

  test('is served from the full-route cache after the first request', async ({ request }) => {
    await request.get(ARTICLE_PATH);
    const response = await request.get(ARTICLE_PATH);
    expect(response.headers()['x-nextjs-cache']).toBe('HIT');
  });
});

test.describe('accessibility and layout', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`the home, article and 404 pages have no axe violations (${colorScheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      for (const path of ['/', ARTICLE_PATH, '/articles/no-such-article', '/no/such/page']) {
        await page.goto(path);
        await expectNoAxeViolations(page);
      }
    });
  }

  test('the first Tab reaches a visible skip link that moves focus to the content', async ({ page, articlePage }) => {
    await articlePage.goto();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    const outline = await skip.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#main$/);
  });

  test('on a phone the article fits the screen without sideways scrolling @phone', async ({ page, articlePage }) => {
    await articlePage.goto();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expect(page.getByRole('heading', { level: 1 })).toBeInViewport();
  });
});
