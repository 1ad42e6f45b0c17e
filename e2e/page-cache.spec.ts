import fs from 'node:fs';
import path from 'node:path';
import { ARTICLE_PATH, apiPostComment, expect, signUpAs, test } from './fixtures';

/*
 * Made-up addresses must not fill the disk: a view naming a cursor, comment or question that does
 * not exist, a view segment spelled any other way, and an unknown article (its page or its
 * comments feed) are 404s that Next's cache does not store (app/_lib/http/cache-handler.mjs,
 * which also bounds what it stores; the feeds are in its data cache, under cache/).
 */
const BUILD = ['server', 'cache'].map((folder) => path.resolve(process.env.NEXT_DIST_DIR ?? '.next', folder));
// The handler's default bound (app/_lib/http/cache-bounds.mjs); the e2e server sets none.
const MAX_BYTES = 256 * 1024 * 1024;
const TURBOPACK_CACHE = path.resolve(process.env.NEXT_DIST_DIR ?? '.next', 'cache', 'turbopack');

function usage(): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const folder of BUILD.filter((f) => fs.existsSync(f))) {
    for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
      // Turbopack's own compile cache (cache/turbopack) is the build's, not pages: it grows with
      // every build into the same folder and never at run time.
      if (!entry.isFile() || entry.parentPath.startsWith(TURBOPACK_CACHE)) continue;
      files += 1;
      bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
    }
  }
  return { files, bytes };
}

test('1,000 requests for made-up views and articles are 404s that leave the page cache as it was', async ({ request }) => {
  test.setTimeout(180_000);
  const run = Date.now().toString(36);
  const junk = Array.from({ length: 1000 }, (_, i) => {
    const n = `${run}${i}`;
    switch (i % 6) {
      case 0:
        return `${ARTICLE_PATH}?after=1700000000${i}.${900000 + i}`;
      case 1:
        return `${ARTICLE_PATH}?comment=${9_000_000 + i}`;
      case 2:
        return `${ARTICLE_PATH}/view/junk-${n}`;
      case 3:
        return `/articles/junk-${n}`;
      case 4:
        return `/articles/junk-${n}/comments.xml`;
      default:
        return `${ARTICLE_PATH}?sort=top&question=no-such-question-${n}`;
    }
  });
  // The real page, a real view and the real feed are cached as before.
  for (const real of [ARTICLE_PATH, `${ARTICLE_PATH}?sort=newest`, `${ARTICLE_PATH}/comments.xml`]) expect((await request.get(real)).status(), real).toBe(200);
  const before = usage();

  for (let i = 0; i < junk.length; i += 10) {
    const statuses = await Promise.all(junk.slice(i, i + 10).map(async (url) => [url, (await request.get(url)).status()]));
    for (const [url, status] of statuses) expect(status, String(url)).toBe(404);
  }

  const after = usage();
  expect(after.files - before.files, 'files added to the build folder').toBe(0);
  expect(after.bytes - before.bytes, 'bytes added to the build folder').toBeLessThanOrEqual(0);
  expect(after.bytes).toBeLessThan(MAX_BYTES);
});

test('an older "next page" link whose thread has since changed score redirects to the page as spelled now, and stores nothing new', async ({ page, request, browser }) => {
  await signUpAs(page);
  const { id } = await apiPostComment(page, `A thread for the cursor test ${Date.now()}`);
  const { threads } = (await (await request.get(`/api${ARTICLE_PATH}/comments?sort=top`)).json()) as { threads: { id: number; score: number }[] };
  const score = threads.find((t) => t.id === id)?.score ?? 0;
  const current = `${ARTICLE_PATH}?sort=top&after=${score}.${id}`;
  expect((await request.get(current)).status()).toBe(200);
  const before = usage();

  for (const staleScore of [score + 7, score + 8, score - 9]) {
    const stale = `${ARTICLE_PATH}?sort=top&after=${staleScore}.${id}`;
    expect((await request.get(stale, { maxRedirects: 0 })).status()).toBe(307);
    // What a signed-out reader's browser shows: the same page, at its current address.
    const reader = await browser.newPage();
    const response = await reader.goto(stale);
    expect(response?.status()).toBe(200);
    await expect(reader).toHaveURL(current);
    await reader.close();
  }
  expect(usage().files - before.files, 'files added to the build folder').toBe(0);
});
