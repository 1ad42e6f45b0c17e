import { ARTICLE_PATH, expect, signUpAs, test } from './fixtures';

test('every page is sent with security headers', async ({ request }) => {
  for (const path of ['/', ARTICLE_PATH, '/signin', '/privacy', '/search?q=xiaomi', '/no/such/page']) {
    const headers = (await request.get(path)).headers();
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    expect(headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
    expect(headers['permissions-policy'], path).toContain('camera=()');
    expect(headers['x-frame-options'], path).toBe('DENY');
    const csp = headers['content-security-policy'] ?? '';
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).toContain("object-src 'none'");
    // Scripts: this origin plus a nonce or the page's own hashes, never 'unsafe-inline'.
    expect(csp, path).toMatch(/script-src 'self' '(nonce|sha256)-[A-Za-z0-9+/=]+'/);
    expect(csp.split(';').find((d) => d.trim().startsWith('script-src')), path).not.toContain('unsafe-inline');
  }
});

test('the sitemap, robots.txt and a social card are sent with the same security headers', async ({ request }) => {
  for (const path of ['/sitemap.xml', '/robots.txt', `${ARTICLE_PATH}/card.png`, '/humans.txt']) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    const headers = response.headers();
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    expect(headers['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
    expect(headers['x-frame-options'], path).toBe('DENY');
  }
});

test('session cookies are HttpOnly and SameSite=Lax', async ({ page, context }) => {
  await signUpAs(page);
  const session = (await context.cookies()).find((c) => c.name === 'authjs.session-token');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Lax');
});

test('signed-out article pages may be cached by shared caches; signed-in ones never', async ({ request, page }) => {
  await request.get(ARTICLE_PATH);
  const anonymous = (await request.get(ARTICLE_PATH)).headers()['cache-control'];
  expect(anonymous).toContain('s-maxage=1');
  expect(anonymous).toContain('stale-while-revalidate=59');

  await signUpAs(page);
  const signedIn = (await page.request.get(ARTICLE_PATH)).headers()['cache-control'];
  expect(signedIn).toContain('private');
  expect(signedIn).toContain('no-store');
});

test('no spelling of a cookie header gets an article a shared-cache lifetime longer than a second and a minute stale', async ({ request }) => {
  // Cookie parsers disagreed on blanks around a name: this one was once served Next's default,
  // "s-maxage=3600, stale-while-revalidate=31532400", and kept by the edge for an hour.
  for (const cookie of ['', 'theme=dark', 'authjs.session-token =x', 'authjs.session-token\t=x', ' __Secure-authjs.session-token =x', 'authjs.session-token.0=x', 'authjs.session-token=x']) {
    for (const path of [ARTICLE_PATH, `${ARTICLE_PATH}?sort=top`]) {
      const cacheControl = (await request.get(path, { headers: cookie ? { cookie } : {} })).headers()['cache-control'] ?? '';
      const seconds = (name: string) => Number(new RegExp(`${name}=(\\d+)`).exec(cacheControl)?.[1] ?? 0);
      const shared = /private|no-store/.test(cacheControl) ? 0 : seconds('s-maxage');
      expect(shared, `${path} with "${cookie}": ${cacheControl}`).toBeLessThanOrEqual(1);
      if (shared) expect(seconds('stale-while-revalidate'), `${path} with "${cookie}": ${cacheControl}`).toBeLessThanOrEqual(59);
    }
  }
});

test('a search page may be kept by a shared cache for seconds when no spelling of a session cookie is sent, and never when one is', async ({ request }) => {
  for (const cookie of ['', 'theme=dark', 'authjs.session-token =x', 'authjs.session-token\t=x', ' __Secure-authjs.session-token =x', 'authjs.session-token.0=x', 'authjs.session-token=x']) {
    const cacheControl = (await request.get('/search?q=xiaomi', { headers: cookie ? { cookie } : {} })).headers()['cache-control'] ?? '';
    if (cookie === '' || cookie === 'theme=dark') expect(cacheControl, `"${cookie}"`).toMatch(/^public, max-age=0, s-maxage=([1-9]|10), stale-while-revalidate=\d+$/);
    else expect(cacheControl, `"${cookie}"`).toBe('private, no-store');
  }
});
