import { DomUtils, parseDocument } from 'htmlparser2';
import { PNG } from 'pngjs';
import type { APIRequestContext } from '@playwright/test';
import { ARTICLE_PATH, ARTICLE_TITLE, expect, postAsSomeoneElse, signUpAs, test } from './fixtures';

/*
 * Each article's social card: a 1200×630 PNG drawn by next/og at /articles/[slug]/card.png,
 * named by the article's head (og:image with its size and alt, twitter:card
 * summary_large_image) in every variant of the page, with absolute URLs on the site's origin.
 */
const CARD_PATH = `${ARTICLE_PATH}/card.png`;

/** The article head's <meta> tags, by property or name. */
function metaTags(html: string): Map<string, string[]> {
  const tags = new Map<string, string[]>();
  for (const meta of DomUtils.getElementsByTagName('meta', parseDocument(html).children)) {
    const key = meta.attribs.property ?? meta.attribs.name;
    if (!key) continue;
    tags.set(key, [...(tags.get(key) ?? []), meta.attribs.content ?? '']);
  }
  return tags;
}

async function fetchCard(request: APIRequestContext, path = CARD_PATH) {
  const response = await request.get(path);
  return { response, body: await response.body() };
}

test('an article page names its card: og:image with its size and alt, and a large Twitter card, on the site origin', async ({ request, baseURL }) => {
  const tags = metaTags(await (await request.get(ARTICLE_PATH)).text());
  expect(tags.get('og:image')).toEqual([`${baseURL}${CARD_PATH}`]);
  expect(tags.get('og:image:width')).toEqual(['1200']);
  expect(tags.get('og:image:height')).toEqual(['630']);
  expect(tags.get('og:image:type')).toEqual(['image/png']);
  const [alt] = tags.get('og:image:alt') ?? [];
  expect(alt).toContain(ARTICLE_TITLE);
  expect(alt).toMatch(/\b(no|\d[\d,]*) comments?\b/);
  expect(tags.get('twitter:card')).toEqual(['summary_large_image']);
  expect(tags.get('twitter:image')).toEqual([`${baseURL}${CARD_PATH}`]);
  expect(tags.get('og:url')).toEqual([`${baseURL}${ARTICLE_PATH}`]);
});

test('the same card is named by a view of the discussion and by the page a signed-in reader gets', async ({ request, page, baseURL }) => {
  const view = metaTags(await (await request.get(`${ARTICLE_PATH}?sort=top`)).text());
  expect(view.get('og:image')).toEqual([`${baseURL}${CARD_PATH}`]);
  expect(view.get('twitter:card')).toEqual(['summary_large_image']);

  await signUpAs(page);
  // The page a browser loads (routed to the reader's copy of the cached page) and the one
  // rendered for the reader alone (with a draft or a form post, e.g.).
  for (const path of [ARTICLE_PATH, `${ARTICLE_PATH}/signed-in`]) {
    const tags = metaTags(await (await page.request.get(path)).text());
    expect(tags.get('og:image'), path).toEqual([`${baseURL}${CARD_PATH}`]);
    expect(tags.get('og:image:alt')?.[0], path).toContain(ARTICLE_TITLE);
    expect(tags.get('twitter:card'), path).toEqual(['summary_large_image']);
  }
});

test('the card is a 1200×630 PNG with a headline drawn on it, not a blank image', async ({ request }) => {
  const { response, body } = await fetchCard(request);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('image/png');
  expect(response.headers()['x-content-type-options']).toBe('nosniff');
  expect(body.byteLength).toBeGreaterThan(5_000);
  expect(body.byteLength).toBeLessThan(1_000_000);

  const png = PNG.sync.read(body);
  expect([png.width, png.height]).toEqual([1200, 630]);
  // The background is the commonest colour; whatever differs from it is drawn (text, a rule).
  const colours = new Map<number, number>();
  for (let offset = 0; offset < png.data.length; offset += 4) {
    const pixel = png.data.readUInt32BE(offset);
    colours.set(pixel, (colours.get(pixel) ?? 0) + 1);
  }
  const background = Math.max(...colours.values());
  const share = 1 - background / (png.width * png.height);
  // Anti-aliased text draws many shades; lines of text cover a few percent of the card.
  expect(colours.size).toBeGreaterThan(50);
  expect(share).toBeGreaterThan(0.02);
  expect(share).toBeLessThan(0.9);
});

test('the card is served from the cache, to shared caches for a short while', async ({ request }) => {
  await fetchCard(request);
  const { response } = await fetchCard(request);
  expect(response.headers()['x-nextjs-cache']).toMatch(/HIT|STALE/);
  const cacheControl = response.headers()['cache-control'] ?? '';
  expect(cacheControl).toContain('public');
  expect(Number(/s-maxage=(\d+)/.exec(cacheControl)?.[1])).toBeLessThanOrEqual(60);
});

test('a new comment changes the card and its alt text: it shows the size of the discussion', async ({ request, browser }) => {
  const altOf = async () => metaTags(await (await request.get(ARTICLE_PATH)).text()).get('og:image:alt')?.[0] ?? '';
  const before = await fetchCard(request);
  const altBefore = await altOf();
  await postAsSomeoneElse(browser, `A comment that makes the card count one more ${Date.now()}`);
  await expect.poll(async () => (await fetchCard(request)).body.equals(before.body), { timeout: 15_000 }).toBe(false);
  await expect.poll(altOf, { timeout: 15_000 }).not.toBe(altBefore);
});

test('an unknown article has no card: 404, not an error', async ({ request }) => {
  const { response } = await fetchCard(request, '/articles/no-such-article/card.png');
  expect(response.status()).toBe(404);
});
