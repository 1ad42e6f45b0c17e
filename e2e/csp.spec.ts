import type { Page, Response } from '@playwright/test';
import { ARTICLE_PATH, expect, signUpAs, test } from './fixtures';

/*
 * The Content-Security-Policy in a real browser: every page carries one policy whose scripts
 * are this origin's files plus the inline scripts of that very response (a nonce when rendered
 * per request, hashes when served from cache). Next's scripts run (the page hydrates), nothing
 * is reported as blocked, and a script injected into the page does not run.
 */

/** Records every CSP violation the page reports, from before its first script. */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  return () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
}

/** The script-src of the response's one policy. */
async function scriptSources(response: Response | null): Promise<string[]> {
  const policies = ((await response?.headersArray()) ?? []).filter((h) => h.name.toLowerCase() === 'content-security-policy');
  expect(policies, 'exactly one policy').toHaveLength(1);
  const directive = policies[0]!.value.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src '));
  return directive?.split(/\s+/).slice(1) ?? [];
}

/** React marks the document once it has hydrated it, which takes Next's inline scripts. */
async function expectHydrated(page: Page) {
  await expect.poll(() => page.evaluate(() => Object.keys(document).some((k) => k.startsWith('__reactContainer')))).toBe(true);
}

async function expectInjectedScriptBlocked(page: Page) {
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true';
    document.body.append(script);
  });
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
}

const SIGNED_OUT_CACHED = [ARTICLE_PATH, `${ARTICLE_PATH}?sort=top`, '/search?q=xiaomi', '/no/such/page', '/articles/no-such-article'];
// A search with nothing to search is not stored (app/_lib/search/query.ts searchCacheKey).
const SIGNED_OUT_PER_REQUEST = ['/', '/signin', '/signup', '/privacy', '/search', '/search?q=%21%21'];

test('signed-out pages from the cache run their own scripts by hash, and nothing else', async ({ page }) => {
  const violations = await watchViolations(page);
  for (const path of SIGNED_OUT_CACHED) {
    await page.goto(path); // the first visit may render it; the second is served from the cache
    const response = await page.goto(path);
    const sources = await scriptSources(response);
    expect(sources, path).toContain("'self'");
    expect(sources.some((s) => s.startsWith("'sha256-")), path).toBe(true);
    expect(sources.filter((s) => s.startsWith("'nonce-") || s === "'unsafe-inline'" || s === "'unsafe-eval'"), path).toEqual([]);
    await expectHydrated(page);
    expect(await violations(), path).toEqual([]);
    await expectInjectedScriptBlocked(page);
    expect((await violations()).length, path).toBeGreaterThan(0);
  }
});

test('pages rendered per request carry a fresh nonce on every script', async ({ page }) => {
  const violations = await watchViolations(page);
  const check = async (path: string) => {
    const response = await page.goto(path);
    const sources = await scriptSources(response);
    const nonce = sources.find((s) => s.startsWith("'nonce-"))?.slice("'nonce-".length, -1);
    expect(nonce, path).toBeTruthy();
    expect(sources.filter((s) => s === "'unsafe-inline'" || s === "'unsafe-eval'"), path).toEqual([]);
    const html = await response!.text();
    const tags = html.match(/<script\b[^>]*>/g) ?? [];
    const executable = tags.filter((tag) => !tag.includes('application/ld+json'));
    expect(executable.length, path).toBeGreaterThan(0);
    expect(executable.filter((tag) => !tag.includes(`nonce="${nonce}"`)), path).toEqual([]);
    await expectHydrated(page);
    expect(await violations(), path).toEqual([]);
    await expectInjectedScriptBlocked(page);
    return nonce;
  };

  for (const path of SIGNED_OUT_PER_REQUEST) {
    const first = await check(path);
    expect(await check(path), `${path} gets a new nonce`).not.toBe(first);
  }
  await signUpAs(page);
  for (const path of ['/profile', '/', '/search']) await check(path);
});

test('a signed-in reader’s article page or search is the cached page made theirs: its scripts run by hash, and nothing else', async ({ page }) => {
  const violations = await watchViolations(page);
  await signUpAs(page);
  for (const path of [ARTICLE_PATH, `${ARTICLE_PATH}?sort=top`, '/search?q=xiaomi']) {
    await page.goto(path); // the first visit may render the cached page; the second is made theirs from it
    const response = await page.goto(path);
    const sources = await scriptSources(response);
    expect(sources.some((s) => s.startsWith("'sha256-")), path).toBe(true);
    expect(sources.filter((s) => s.startsWith("'nonce-") || s === "'unsafe-inline'" || s === "'unsafe-eval'"), path).toEqual([]);
    expect(response!.headers()['cache-control'], path).toMatch(/private|no-store/);
    await expect(page.getByRole('navigation', { name: 'Account' }), path).toContainText('Signed in as');
    await expectHydrated(page);
    expect(await violations(), path).toEqual([]);
    await expectInjectedScriptBlocked(page);
  }
});

test('a signed-in reader posts with JavaScript under the policy', async ({ page }) => {
  const violations = await watchViolations(page);
  await signUpAs(page);
  await page.goto(ARTICLE_PATH);
  await expectHydrated(page);
  const body = `Posted under a strict policy ${Date.now()}`;
  await page.getByLabel('Your comment', { exact: true }).fill(body);
  await page.getByRole('button', { name: 'Post comment' }).click();
  // The posted comment's text, not the same text in its (closed) edit box.
  await expect(page.getByRole('paragraph').filter({ hasText: body })).toBeVisible();
  expect(await violations()).toEqual([]);
});
