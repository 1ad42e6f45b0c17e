import fs from 'node:fs';
import { DomUtils, parseDocument } from 'htmlparser2';
import { ARTICLE_PATH, expect, test } from './fixtures';

/*
 * The site's static files live in public/ and are served as they are there: the icon, the
 * favicon that browsers ask for on their own, humans.txt, and the font the social cards are
 * drawn with, with its licence. robots.txt is written by app/robots.ts: it names the sitemap
 * on the site's origin.
 */
const STATIC_FILES: [path: string, contentType: RegExp][] = [
  ['/icon.svg', /^image\/svg\+xml/],
  ['/favicon.ico', /^image\/(x-icon|vnd\.microsoft\.icon)/],
  ['/humans.txt', /^text\/plain/],
  ['/fonts/DejaVuSans-Bold.ttf', /^font\/ttf/],
  ['/fonts/DejaVuSans.ttf', /^font\/ttf/],
  ['/fonts/DejaVu-LICENSE.txt', /^text\/plain/],
];

test('the icon, the favicon, humans.txt and the card font are the files in public/', async ({ request }) => {
  for (const [path, contentType] of STATIC_FILES) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()['content-type'], path).toMatch(contentType);
    expect((await response.body()).equals(fs.readFileSync(`public${path}`)), `${path} is public${path}`).toBe(true);
  }
});

test('every page links the icon and the favicon, and both load', async ({ request }) => {
  for (const page of ['/', ARTICLE_PATH, '/signin', '/no/such/page']) {
    const html = await (await request.get(page)).text();
    const icons = DomUtils.getElementsByTagName('link', parseDocument(html).children)
      .filter((link) => link.attribs.rel === 'icon')
      .map((link) => link.attribs.href ?? '');
    expect(icons.map((href) => new URL(href, 'http://site.test').pathname).sort(), page).toEqual(['/favicon.ico', '/icon.svg']);
    for (const href of icons) expect((await request.get(href)).status(), `${page}: ${href}`).toBe(200);
  }
});

test('robots.txt keeps crawlers out of the API and the per-reader pages, and nothing else', async ({ request }) => {
  const rules = (await (await request.get('/robots.txt')).text())
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line && !/^sitemap:/i.test(line));
  expect(rules).toEqual(['User-Agent: *', 'Allow: /', 'Disallow: /api/', 'Disallow: /profile', 'Disallow: /moderation']);
});
