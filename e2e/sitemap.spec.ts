import { DomUtils, parseDocument } from 'htmlparser2';
import type { APIRequestContext } from '@playwright/test';
import { ARTICLE_PATH, expect, postAsSomeoneElse, test } from './fixtures';

/*
 * /sitemap.xml lists the home page and every article, on the site's origin, each with when
 * its newest visible comment was written (or the article changed); robots.txt names it.
 */
type Entry = { loc: string; lastmod: string | null };

/** The sitemap's entries, read with an XML parser. */
async function sitemapEntries(request: APIRequestContext, url = '/sitemap.xml'): Promise<Entry[]> {
  const response = await request.get(url);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^application\/xml/);
  const document = parseDocument(await response.text(), { xmlMode: true });
  const [urlset] = DomUtils.getElementsByTagName('urlset', document.children);
  expect(urlset?.attribs.xmlns).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
  return DomUtils.getElementsByTagName('url', document.children).map((entry) => {
    const text = (name: string) => {
      const [element] = DomUtils.getElementsByTagName(name, entry.children);
      return element ? DomUtils.textContent(element).trim() : null;
    };
    return { loc: text('loc') ?? '', lastmod: text('lastmod') };
  });
}

test('the sitemap lists the home page and the article on the site origin, and every URL in it answers 200', async ({ request, baseURL }) => {
  const entries = await sitemapEntries(request);
  const locs = entries.map((entry) => entry.loc);
  expect(locs).toContain(`${baseURL}/`);
  expect(locs).toContain(`${baseURL}${ARTICLE_PATH}`);
  expect(new Set(locs).size).toBe(locs.length);
  for (const { loc, lastmod } of entries) {
    expect(new URL(loc).origin, loc).toBe(baseURL);
    const response = await request.get(loc, { maxRedirects: 0 });
    expect(response.status(), loc).toBe(200);
    if (lastmod !== null) expect(Number.isNaN(Date.parse(lastmod)), `${loc}: ${lastmod}`).toBe(false);
  }
});

test("an article's last-modified time is that of its newest visible comment once one is newer than the article", async ({ request, browser, baseURL }) => {
  const lastmod = async () => (await sitemapEntries(request)).find((entry) => entry.loc === `${baseURL}${ARTICLE_PATH}`)?.lastmod ?? null;
  const before = await lastmod();
  expect(before).not.toBeNull();
  // The server's clock decides the comment's time; one second's slack either way for the two clocks.
  const postedFrom = Date.now() - 1_000;
  await postAsSomeoneElse(browser, `A comment the sitemap dates the article by ${Date.now()}`);
  const after = await lastmod();
  expect(Date.parse(after ?? '')).toBeGreaterThanOrEqual(postedFrom);
  expect(Date.parse(after ?? '')).toBeLessThanOrEqual(Date.now() + 1_000);
});

test('robots.txt names the sitemap by its absolute URL, and that URL answers', async ({ request, baseURL }) => {
  const response = await request.get('/robots.txt');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^text\/plain/);
  const sitemaps = (await response.text())
    .split('\n')
    .filter((line) => /^sitemap:/i.test(line))
    .map((line) => line.replace(/^sitemap:\s*/i, '').trim());
  expect(sitemaps).toEqual([`${baseURL}/sitemap.xml`]);
  expect((await sitemapEntries(request, sitemaps[0])).length).toBeGreaterThanOrEqual(2);
});
