import { expect, test, type Browser } from '@playwright/test';
import { ARTICLE_PATH, fillSignUp, newReader } from './fixtures';
import { NO_NGINX, nginxBin, startNext, startNginx, type OwnServer } from './own-servers';
import { freePort } from '../scripts/lib/next-process.mjs';

/*
 * Per-IP limits against a client that writes its own X-Forwarded-For, on servers of this spec's
 * own with the shipped sign-up limit lowered to 3 (the e2e server's are raised for its readers):
 * plain `next start` as the README runs it, and the same behind deploy/nginx.conf.
 */
const LIMIT = 3;

/** Signs up a new reader from a new browser that claims to be at `address`; returns what the page says. */
async function signUpClaiming(browser: Browser, origin: string, address: string): Promise<'link sent' | 'refused'> {
  const context = await browser.newContext({ baseURL: origin, extraHTTPHeaders: { 'x-forwarded-for': address } });
  try {
    const page = await context.newPage();
    await page.goto('/signup');
    const reader = newReader('Rotating Reader');
    await fillSignUp(page, reader);
    const sent = page.getByRole('heading', { name: 'Check your email' });
    const refused = page.getByText(/Too many attempts\. Try again in \d+ minutes?\./);
    // Hashing the password takes a while on a busy machine.
    await expect(sent.or(refused)).toBeVisible({ timeout: 20_000 });
    return (await refused.isVisible()) ? 'refused' : 'link sent';
  } finally {
    await context.close();
  }
}

async function signUpsRotating(browser: Browser, origin: string): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 1; i <= LIMIT + 1; i += 1) outcomes.push(await signUpClaiming(browser, origin, `198.51.100.${i}`));
  return outcomes;
}

test.describe('per-IP limits and X-Forwarded-For', () => {
  test.describe.configure({ timeout: 120_000 });

  test('with no proxy in front (the default), a client cannot dodge the sign-up limit by rotating the header', async ({ browser }) => {
    const next = await startNext({ AUTH_SIGNUP_LIMIT_PER_IP: String(LIMIT) });
    try {
      expect(await signUpsRotating(browser, next.origin)).toEqual(['link sent', 'link sent', 'link sent', 'refused']);
    } finally {
      await next.stop();
    }
  });

  test('behind the shipped nginx with TRUST_PROXY=1, the address nginx saw is counted, not the one the client wrote', async ({ browser }) => {
    test.skip(!nginxBin, NO_NGINX);
    const edgePort = await freePort('127.0.0.1');
    const servers: OwnServer[] = [];
    try {
      const next = await startNext(
        // No SITE_URL: redirects follow the host and protocol nginx forwards (trusted with TRUST_PROXY).
        { AUTH_SIGNUP_LIMIT_PER_IP: String(LIMIT), TRUST_PROXY: '1', SITE_URL: '' },
        '127.0.0.1',
      );
      servers.push(next);
      const edge = await startNginx(`127.0.0.1:${next.port}`, edgePort);
      servers.push(edge);
      expect(await signUpsRotating(browser, edge.origin)).toEqual(['link sent', 'link sent', 'link sent', 'refused']);
      const signInRedirect = await fetch(`${edge.origin}/api/auth/signin`, { redirect: 'manual' });
      expect(new URL(signInRedirect.headers.get('location') ?? '', edge.origin).searchParams.get('callbackUrl')).toBe(edge.origin);

      // The same edge never stores a page for a request with a session cookie, however it is spelled.
      const article = `http://127.0.0.1:${edgePort}${ARTICLE_PATH}`;
      await fetch(article);
      expect((await fetch(article)).headers.get('x-cache-status')).toBe('HIT');
      for (const cookie of ['authjs.session-token=x', 'authjs.session-token =x', 'theme=dark;  authjs.session-token\t=x']) {
        const response = await fetch(article, { headers: { cookie } });
        expect(response.headers.get('x-cache-status'), cookie).toBe('BYPASS');
        expect(response.headers.get('cache-control'), cookie).toMatch(/private.*no-store/);
      }
    } finally {
      for (const server of servers.reverse()) await server.stop();
    }
  });

  test('a TRUST_PROXY that is not a number of hops stops the server with a clear message', async () => {
    const started = startNext({ TRUST_PROXY: 'yes' });
    await expect(started).rejects.toThrow(/\[config\] TRUST_PROXY="yes" is not accepted: it must be the number of proxies/);
  });
});
