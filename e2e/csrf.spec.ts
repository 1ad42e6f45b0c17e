import type { Browser, Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { ARTICLE_PATH, E2E_DB_PATH, apiPostComment, expect, grantRole, signUpAs, test } from './fixtures';

/*
 * Cross-site request forgery: a page on another site posting to our actions and endpoints
 * with the reader's cookies. Each is refused before it does anything.
 */
const EVIL = 'https://evil.example';

type FormFields = [string, string][];

/**
 * Every server-action form on a page, as a browser without JavaScript would post it (all its
 * fields, React's hidden $ACTION_ ones included), one per distinct action.
 */
async function actionForms(browser: Browser, from: Page | null, path: string): Promise<{ path: string; fields: FormFields }[]> {
  const context = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    javaScriptEnabled: false,
    storageState: from ? await from.context().storageState() : undefined,
  });
  const page = await context.newPage();
  await page.goto(path);
  const forms = await page.locator('form').evaluateAll((elements) =>
    elements.map((form) => [...new FormData(form as HTMLFormElement).entries()].map(([name, value]) => [name, String(value)] as [string, string])),
  );
  await context.close();
  const byAction = new Map<string, FormFields>();
  for (const fields of forms) {
    const action = fields.filter(([name]) => name.startsWith('$ACTION_')).map(([name]) => name).join(' ');
    if (action && !byAction.has(action)) byAction.set(action, fields);
  }
  return [...byAction.values()].map((fields) => ({ path, fields }));
}

/** Row counts of every table a form can change, read from the e2e server's database. */
function counts(): Record<string, number> {
  const db = new Database(E2E_DB_PATH, { readonly: true, fileMustExist: true });
  try {
    const tables = ['users', 'comments', 'comment_votes', 'comment_reports', 'comment_drafts', 'poll_votes', 'moderation_log', 'sessions'];
    return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

test('cross-site form posts to every server action are refused and change nothing', async ({ page, browser }) => {
  // The sign-in and sign-up forms, as a signed-out visitor sees them.
  const targets = [...(await actionForms(browser, null, '/signin')), ...(await actionForms(browser, null, '/signup'))];
  // Every form a reader and an admin see: comments, votes, reports, polls, profile, moderation.
  const reader = await signUpAs(page);
  grantRole(reader, 'admin');
  await apiPostComment(page, 'A comment, so the article shows its comment forms');
  for (const path of [ARTICLE_PATH, '/profile', '/moderation']) targets.push(...(await actionForms(browser, page, path)));
  expect(new Set(targets.map((t) => t.path)).size).toBe(5);
  expect(targets.length).toBeGreaterThanOrEqual(12);

  const before = counts();
  for (const { path, fields } of targets) {
    const response = await page.request.post(path, { headers: { origin: EVIL }, multipart: Object.fromEntries(fields) });
    expect(response.status(), `${path} ${fields.map(([name]) => name).join(',')}`).toBe(403);
  }
  expect(counts()).toEqual(before);
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
