import { defineConfig, devices } from '@playwright/test';
import { chromiumFlags, systemChromium } from './scripts/lib/chromium.mjs';

/*
 * e2e runs against the production build (`next build` first; `npm test` does it) served by
 * `next start` on loopback, with a fresh SQLite file per run. Debian's Chromium is used where
 * it is installed, because Playwright cannot download its own browser on this network.
 */
const PORT = Number(process.env.E2E_PORT ?? 3100);
// "localhost", not 127.0.0.1: Next's NextURL rewrites 127.0.0.1 to localhost in route handlers,
// so Auth.js's redirects would otherwise leave the origin the browser's cookies belong to.
const BASE_URL = `http://localhost:${PORT}`;
const OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? 3101);
const OIDC_ISSUER = `http://127.0.0.1:${OIDC_PORT}`;
// The mail catcher's SMTP port and its HTTP control API (e2e/fixtures.ts reads the same variable).
const MAIL_PORT = Number(process.env.E2E_MAIL_PORT ?? 3102);
const MAIL_HTTP_PORT = Number(process.env.E2E_MAIL_HTTP_PORT ?? 3103);

const launchOptions = systemChromium ? { executablePath: systemChromium, args: chromiumFlags } : {};

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions,
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], launchOptions } },
    { name: 'phone', use: { ...devices['Pixel 7'], launchOptions }, grep: /@phone/ },
    // After every other test: reads the e2e server's whole log (scripts/e2e-server.mjs keeps it).
    { name: 'server-log', testMatch: /server-log\.check\.ts$/, dependencies: ['desktop', 'phone'] },
  ],
  webServer: [
    {
      // A conformant OpenID Connect provider (oidc-provider), so sign-in goes through the real
      // redirect flow and reads email and name from UserInfo, not from the ID token.
      command: 'node scripts/oidc-provider-server.mjs',
      url: `${OIDC_ISSUER}/.well-known/openid-configuration`,
      env: { OIDC_PORT: String(OIDC_PORT), OIDC_REDIRECT_URIS: `${BASE_URL}/api/auth/callback/oidc` },
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // A real SMTP server (smtp-server) that parses what arrives with mailparser; specs read it
      // through its HTTP control API, and stop and start its SMTP side to play a mail server down.
      command: 'node scripts/mail-catcher-server.mjs',
      url: `http://127.0.0.1:${MAIL_HTTP_PORT}/health`,
      env: { MAIL_CATCHER_SMTP_PORT: String(MAIL_PORT), MAIL_CATCHER_HTTP_PORT: String(MAIL_HTTP_PORT) },
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: 'node scripts/e2e-server.mjs',
      url: `${BASE_URL}/`,
      env: {
        PORT: String(PORT),
        DATABASE_PATH: '.test-data/e2e.db',
        SITE_URL: BASE_URL,
        NEXT_TELEMETRY_DISABLED: '1',
        OIDC_ISSUER,
        OIDC_CLIENT_ID: 'blog-e2e',
        OIDC_CLIENT_SECRET: 'blog-e2e-client-secret',
        OIDC_NAME: 'Test SSO',
        // Many test readers sign up from one machine; the per-account limit stays as shipped
        // (e2e checks it), and the per-address limits are covered by integration tests.
        AUTH_SIGNUP_LIMIT_PER_IP: '10000',
        AUTH_SIGNIN_LIMIT_PER_IP: '10000',
        AUTH_MAIL_LIMIT_PER_IP: '10000',
        // Test readers post faster than people do; flood control is covered by integration
        // tests, including 20 parallel posts.
        COMMENT_RATE_LIMIT_DISABLED: '1',
        // Admins by address: the OIDC reader whose provider verified it, and two that must not
        // become admins (a password sign-up, and an address the provider did not verify).
        ADMIN_EMAILS: 'olivia.oidc@example.test,una.unverified@example.test,claimed-admin@example.test',
        // Test readers are minutes old; their reports count toward auto-hide once they have a
        // shown comment (the age rule is covered by app/_lib/moderation/reports.test.ts).
        REPORT_MIN_ACCOUNT_AGE_HOURS: '0',
        // Comments with these words wait for review (moderation e2e).
        HOLD_WORDS: 'casino-bonus',
        // The log at its most detailed: e2e/server-log.check.ts looks for secrets in all of it.
        LOG_LEVEL: 'debug',
        // e2e/metrics.spec.ts reads the metrics as a remote scraper would, with this token.
        METRICS_TOKEN: 'e2e-metrics-token-0123456789',
        // Mail goes to the catcher above.
        SMTP_URL: `smtp://127.0.0.1:${MAIL_PORT}`,
        MAIL_FROM: 'The Handset Ledger <news@localhost>',
        // Reply notifications gather for a few seconds, not a minute (e2e/notifications.spec.ts).
        NOTIFY_DELAY_SECONDS: '5',
        // Off only to watch e2e/notifications.spec.ts fail without the feature.
        ...(process.env.E2E_NOTIFY_OFF ? { NOTIFY_OFF: '1' } : {}),
      },
      reuseExistingServer: false,
      timeout: 60_000,
      // Its JSON log, a line per request, is kept whole in .test-data/server.log (scripts/e2e-server.mjs)
      // rather than interleaved with the test report; anything on stderr is shown.
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
