import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, newReader, signUpAt, test } from './fixtures';
import { freePort } from '../scripts/lib/next-process.mjs';

/*
 * Flood control under real concurrency: a second production server, started here with the
 * shipped limits (the main e2e server relaxes them), gets 20 parallel posts from one reader.
 */
// A free port, not a fixed one: the suite's other servers (the mail catcher, the OIDC provider) take fixed ones.
let PORT: number;
let BASE: string;
let server: ChildProcess;
let folder: string;

test.beforeAll(async () => {
  PORT = await freePort('127.0.0.1');
  BASE = `http://localhost:${PORT}`;
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'flood-'));
  server = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', 'localhost', '-p', String(PORT)], {
    env: {
      ...process.env,
      DATABASE_PATH: path.join(folder, 'flood.db'),
      SITE_URL: BASE,
      NEXT_TELEMETRY_DISABLED: '1',
      AUTH_SIGNUP_LIMIT_PER_IP: '1000',
      COMMENT_RATE_LIMIT_DISABLED: '',
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i += 1) {
    try {
      if ((await fetch(`http://localhost:${PORT}/`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the flood-control server did not start');
});

test.afterAll(() => {
  server.kill('SIGTERM');
  fs.rmSync(folder, { recursive: true, force: true });
});

test('20 parallel posts by one reader store one comment; the rest are told when to retry', async ({ page }) => {
  await signUpAt(page, BASE, path.join(folder, 'mail'), newReader('Burst Poster'));

  const responses = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      page.request.post(`${BASE}/api/articles/xiaomi-q2-2017-smartphone-shipments/comments`, { data: { body: `Burst ${i}` } }),
    ),
  );
  const statuses = responses.map((r) => r.status()).sort();
  expect(statuses.filter((s) => s === 201)).toHaveLength(1);
  expect(statuses.filter((s) => s === 429)).toHaveLength(19);
  const refused = await responses.find((r) => r.status() === 429)!.json();
  expect(refused.error.message).toMatch(/^You are posting too fast\. Try again in \d+ seconds\.$/);

  const page1 = await page.request.get(`${BASE}/api/articles/xiaomi-q2-2017-smartphone-shipments/comments`);
  expect((await page1.json()).article.commentCount).toBe(1);
});
