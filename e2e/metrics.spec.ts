import { ARTICLE_PATH, apiPostComment, commentByText, expect, fillSignIn, newReader, signUpAs, test } from './fixtures';

/*
 * GET /api/metrics (Prometheus text, prom-client): who may read it, and that a reader's flow
 * moves each counter by exactly what it did. Tests run one at a time, so the difference between
 * two scrapes is this test's own doing.
 */

const TOKEN = 'e2e-metrics-token-0123456789';

/*
 * A request from this machine as it is, through Node's fetch: Playwright's own requests, even from
 * a new context, carry the X-Forwarded-For every test sets (e2e/fixtures.ts: each test a reader at
 * its own address behind a proxy).
 */
function local(path: string, headers: Record<string, string> = {}): Promise<Response> {
  const base = new URL(test.info().project.use.baseURL!);
  return fetch(`http://127.0.0.1:${base.port}${path}`, { headers });
}

/** Every sample of a scrape, keyed by its name and labels as written (`name{a="b"}`). */
async function scrape(): Promise<Map<string, number>> {
  const response = await local('/api/metrics');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

function delta(before: Map<string, number>, after: Map<string, number>, key: string): number {
  return (after.get(key) ?? 0) - (before.get(key) ?? 0);
}

test('only this machine or a bearer of METRICS_TOKEN may read the metrics', async ({ request }) => {
  expect((await local('/api/metrics')).status).toBe(200);
  // Through a proxy (as nginx relays a visitor), the client is not this machine.
  const relayed = await request.get('/api/metrics', { headers: { 'X-Forwarded-For': '203.0.113.9' } });
  expect(relayed.status()).toBe(401);
  expect(relayed.headers()['www-authenticate']).toBe('Bearer');
  // Claiming to be loopback in the header the server sets for itself changes nothing.
  const forged = await request.get('/api/metrics', { headers: { 'X-Forwarded-For': '203.0.113.9', 'X-Blog-Peer-Loopback': '1' } });
  expect(forged.status()).toBe(401);
  const wrong = await request.get('/api/metrics', { headers: { 'X-Forwarded-For': '203.0.113.9', Authorization: 'Bearer not-the-token-at-all' } });
  expect(wrong.status()).toBe(401);
  const withToken = await request.get('/api/metrics', { headers: { 'X-Forwarded-For': '203.0.113.9', Authorization: `Bearer ${TOKEN}` } });
  expect(withToken.status()).toBe(200);
  expect(await withToken.text()).toContain('# TYPE http_requests_total counter');
});

test('a reader flow moves each counter by what it did', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const before = await scrape();

  // A sign-up signs in once, by its mailed link; a wrong password is a failed sign-in.
  const reader = await signUpAs(page);
  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  await strangerPage.goto('/signin');
  await fillSignIn(strangerPage, reader.email, 'not the password at all');
  await expect(strangerPage.getByText('Email or password is incorrect.')).toBeVisible();

  // Two comments, one held for a listed word (HOLD_WORDS in playwright.config.ts).
  await apiPostComment(page, `Metrics flow comment ${Date.now()}`);
  await apiPostComment(page, `Metrics flow casino-bonus comment ${Date.now()}`);

  // Another reader's comment, reported once by this reader.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signUpAs(otherPage, newReader('Reported Once'));
  const text = `Metrics flow comment to report ${Date.now()}`;
  const { id } = await apiPostComment(otherPage, text);
  await page.goto(`${ARTICLE_PATH}?comment=${id}`);
  const target = commentByText(page, text);
  await target.getByText('Report', { exact: true }).click();
  await target.getByLabel('Spam').check();
  await target.getByRole('button', { name: 'Send report' }).click();
  await expect(page.getByText('Thank you. The moderators will look at it.')).toBeVisible();

  // Five wrong passwords on one account from one client use up its limit; more are refused.
  for (let i = 0; i < 6; i += 1) {
    await strangerPage.goto('/signin');
    await fillSignIn(strangerPage, reader.email, `wrong guess ${i}`);
    // Sign-ins share one client address here (TRUST_PROXY=0): the first wrong password above was the first of five.
    await expect(strangerPage.getByText(i < 4 ? 'Email or password is incorrect.' : /Too many attempts\. Try again in \d+ minutes?\./)).toBeVisible();
  }
  await stranger.close();
  await other.close();

  const after = await scrape();
  // Both sign-ups finished by their mailed links.
  expect(delta(before, after, 'blog_signins_total{method="link",result="success"}')).toBe(2);
  // The first wrong password and the four allowed guesses after it; the sixth guess was refused.
  expect(delta(before, after, 'blog_signins_total{method="password",result="failure"}')).toBe(5);
  expect(delta(before, after, 'blog_signins_total{method="password",result="refused"}')).toBe(2);
  expect(delta(before, after, 'blog_rate_limit_refusals_total{limit="signin:email-ip"}')).toBe(2);
  expect(delta(before, after, 'blog_comments_posted_total')).toBe(3);
  expect(delta(before, after, 'blog_comments_held_total')).toBe(1);
  expect(delta(before, after, 'blog_comment_reports_total')).toBe(1);
  expect(delta(before, after, 'http_requests_total{route="/api/articles/[slug]/comments",method="POST",status="201"}')).toBe(3);
  expect(delta(before, after, 'http_request_duration_seconds_count{route="/api/articles/[slug]/comments",method="POST"}')).toBe(3);
  expect(after.get('blog_database_size_bytes')).toBeGreaterThan(0);
});

test('scheduled jobs are in the metrics: the purge and the first backup have run', async () => {
  // The runner's first pass comes a tick after the server starts; by now it has usually run.
  await expect
    .poll(async () => (await scrape()).get('blog_job_runs_total{job="purge",outcome="ok"}') ?? 0, { timeout: 45_000 })
    .toBeGreaterThanOrEqual(1);
  const samples = await scrape();
  expect(samples.get('blog_job_runs_total{job="backup",outcome="ok"}')).toBeGreaterThanOrEqual(1);
  expect(samples.get('blog_job_runs_total{job="backup",outcome="failed"}')).toBe(0);
  expect(samples.get('blog_job_consecutive_failures{job="backup"}')).toBe(0);
  const age = samples.get('blog_last_backup_age_seconds')!;
  expect(age).toBeGreaterThanOrEqual(0);
  expect(age).toBeLessThan(3600);
});
