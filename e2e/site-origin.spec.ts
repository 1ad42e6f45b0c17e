import { startNext, type OwnServer } from './own-servers';
import path from 'node:path';
import { ARTICLE_PATH, expect, fillSignIn, newReader, signUpAt, test } from './fixtures';

/*
 * Without SITE_URL, sign-in follows the request: a second production server of this spec's own
 * (e2e/own-servers.ts) with no SITE_URL, reached as 127.0.0.1 (neither localhost nor port 3000).
 */
let server: OwnServer & { port: number; dir: string };
let base: string;

test.beforeAll(async () => {
  server = await startNext({ SITE_URL: '', AUTH_SIGNUP_LIMIT_PER_IP: '1000' }, '127.0.0.1');
  base = `http://127.0.0.1:${server.port}`;
});

test.afterAll(async () => {
  await server.stop();
});

const account = (page: import('@playwright/test').Page) => page.getByRole('navigation', { name: 'Account' });

test('without SITE_URL, signing up and in on another port and host name ends on that origin', async ({ page }) => {
  // The mailed link is built on the origin the browser used, so it works without SITE_URL.
  const reader = await signUpAt(page, base, path.join(server.dir, 'mail'), newReader('Port Reader'), `${ARTICLE_PATH}#discussion`);
  await expect(page).toHaveURL(`${base}${ARTICLE_PATH}#discussion`);
  await expect(account(page)).toContainText('Signed in as Port Reader');

  await account(page).getByRole('button', { name: 'Sign out' }).click();
  await expect(account(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(base);

  await page.goto(`${base}/signin?callbackUrl=%2Fprofile`);
  await fillSignIn(page, reader.email, reader.password);
  await expect(page).toHaveURL(`${base}/profile`);
  await expect(page.getByRole('heading', { level: 1, name: 'Your profile' })).toBeVisible();
});

test('without SITE_URL and TRUST_PROXY, a forwarded host the client wrote is ignored', async ({ request }) => {
  const response = await request.get(`${base}/api/auth/signin`, {
    headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(302);
  const location = new URL(response.headers().location ?? '', 'http://relative.invalid');
  // The server's own origin (Next names 127.0.0.1 "localhost"), never the header's.
  const callback = new URL(location.searchParams.get('callbackUrl') ?? '');
  expect(callback.protocol).toBe('http:');
  expect(['127.0.0.1', 'localhost']).toContain(callback.hostname);
  expect(callback.port).toBe(new URL(base).port);
});

test('a set SITE_URL wins over the forwarded host', async ({ request, baseURL }) => {
  const response = await request.get('/api/auth/signin', {
    headers: { 'x-forwarded-host': 'news.example', 'x-forwarded-proto': 'https' },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(302);
  const location = new URL(response.headers().location ?? '', 'http://relative.invalid');
  expect(location.searchParams.get('callbackUrl')).toBe(baseURL);
});

test('without SITE_URL, robots.txt and the sitemap name the origin the crawler asked, and each URL answers there', async ({ request }) => {
  const robots = await (await request.get(`${base}/robots.txt`)).text();
  expect(robots).toContain(`Sitemap: ${base}/sitemap.xml`);
  const sitemap = await (await request.get(`${base}/sitemap.xml`)).text();
  const locs = [...sitemap.matchAll(/<loc>([^<]*)<\/loc>/g)].map((match) => match[1] ?? '');
  expect(locs).toEqual(expect.arrayContaining([`${base}/`, `${base}${ARTICLE_PATH}`]));
  for (const loc of locs) expect((await request.get(loc, { maxRedirects: 0 })).status(), loc).toBe(200);
});
