import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../scripts/lib/next-process.mjs';
import { ARTICLE_PATH, expect, fillSignIn, fillSignUp, newReader, test } from './fixtures';

/*
 * Without SITE_URL, sign-in follows the request: a second production server, started here on a
 * free port with no SITE_URL, reached as 127.0.0.1 (neither localhost nor port 3000).
 */
let server: ChildProcess;
let folder: string;
let base: string;

test.beforeAll(async () => {
  const port = await freePort('127.0.0.1');
  base = `http://127.0.0.1:${port}`;
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'origin-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_PATH: path.join(folder, 'origin.db'),
    NEXT_TELEMETRY_DISABLED: '1',
    AUTH_SIGNUP_LIMIT_PER_IP: '1000',
  };
  for (const name of ['SITE_URL', 'AUTH_URL', 'NEXTAUTH_URL', 'PORT']) delete env[name];
  server = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(port)], { env, stdio: 'ignore' });
  for (let i = 0; i < 100; i += 1) {
    try {
      if ((await fetch(`${base}/`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the server without SITE_URL did not start');
});

test.afterAll(() => {
  server.kill('SIGTERM');
  fs.rmSync(folder, { recursive: true, force: true });
});

const account = (page: import('@playwright/test').Page) => page.getByRole('navigation', { name: 'Account' });

test('without SITE_URL, signing up and in on another port and host name ends on that origin', async ({ page }) => {
  const reader = newReader('Port Reader');
  await page.goto(`${base}/signup?callbackUrl=${encodeURIComponent(`${ARTICLE_PATH}#discussion`)}`);
  await fillSignUp(page, reader);
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
