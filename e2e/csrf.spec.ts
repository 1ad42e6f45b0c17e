import { ARTICLE_PATH, expect, signUpAs, test } from './fixtures';

/*
 * Cross-site request forgery: a page on another site posting to our actions and endpoints
 * with the reader's cookies. Each is refused before it does anything.
 */
const EVIL = 'https://evil.example';

/** The ids of the server actions a page's forms post to (from their hidden $ACTION_ID_ fields). */
async function actionIds(page: import('@playwright/test').Page, path: string): Promise<string[]> {
  await page.goto(path);
  const names = await page.locator('input[type="hidden"][name^="$ACTION_ID_"]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).name));
  return [...new Set(names)];
}

test('cross-site form posts to server actions are refused and change nothing', async ({ page }) => {
  await signUpAs(page);
  const before = await (await page.request.get(`/api/articles/xiaomi-q2-2017-smartphone-shipments/comments`)).json();
  const targets = [
    ...(await actionIds(page, ARTICLE_PATH)).map((name) => ({ path: ARTICLE_PATH, name })),
    ...(await actionIds(page, '/profile')).map((name) => ({ path: '/profile', name })),
  ];
  expect(targets.length).toBeGreaterThanOrEqual(2);
  for (const { path, name } of targets) {
    const response = await page.request.post(path, {
      headers: { origin: EVIL },
      multipart: { [name]: '', articleSlug: 'xiaomi-q2-2017-smartphone-shipments', body: 'Forged comment', name: 'Forged name' },
    });
    expect(response.status(), `${path} ${name}`).toBe(403);
  }
  const after = await (await page.request.get(`/api/articles/xiaomi-q2-2017-smartphone-shipments/comments`)).json();
  expect(after.article.commentCount).toBe(before.article.commentCount);
  await page.goto('/profile');
  await expect(page.getByLabel('Display name')).not.toHaveValue('Forged name');
});

test('cross-site posts to the JSON API and the auth endpoints are refused', async ({ page }) => {
  await signUpAs(page);
  for (const [path, form] of [
    ['/api/articles/xiaomi-q2-2017-smartphone-shipments/comments', null],
    ['/api/articles/xiaomi-q2-2017-smartphone-shipments/questions/targets/stance', null],
    ['/api/auth/signout', { callbackUrl: '/' }],
    ['/api/auth/callback/credentials', { email: 'a@example.com', password: 'whatever password' }],
    ['/api/auth/signin/oidc', { callbackUrl: '/' }],
  ] as const) {
    const response = form
      ? await page.request.post(path, { headers: { origin: EVIL }, form })
      : await page.request.post(path, { headers: { origin: EVIL }, data: { body: 'Forged', choice: 'yes' } });
    expect(response.status(), path).toBe(403);
    expect((await response.json()).error.code).toBe('forbidden:cross_site');
  }
  // Still signed in: the forged sign-out did nothing.
  await page.goto('/profile');
  await expect(page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
});
