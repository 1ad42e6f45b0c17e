import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';

export const ARTICLE_SLUG = 'xiaomi-q2-2017-smartphone-shipments';
export const ARTICLE_PATH = `/articles/${ARTICLE_SLUG}`;
export const ARTICLE_TITLE =
  'Xiaomi Ships 23.16 Million Smartphones in Q2 2017, Its Highest Ever Quarterly Shipments';

/** The article's paragraphs as the content file has them, to compare with what the page shows. */
export function articleParagraphs(): string[] {
  const file = fs.readFileSync(path.resolve('db/content', `${ARTICLE_SLUG}.md`), 'utf8');
  const body = file.split(/^---$/m).slice(2).join('---');
  return body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

export const QUESTIONS = [
  'What are your thoughts on Xiaomi’s recent growth and success?',
  'Will the company achieve its current targets?',
  'What areas should the company next focus on?',
];

/** Runs axe on the page and fails with the list of violations, if any. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`);
  expect(summary).toEqual([]);
}

class ArticlePageObject {
  constructor(private readonly page: Page) {}

  async goto() {
    const response = await this.page.goto(ARTICLE_PATH);
    expect(response?.status()).toBe(200);
  }

  get article() {
    return this.page.getByRole('article');
  }

  get discussion() {
    return this.page.getByRole('region', { name: 'Discussion' });
  }
}

export type Reader = { name: string; email: string; password: string };

let readerCount = 0;
/** A new reader with a unique email for this run. */
export function newReader(name = 'Test Reader'): Reader {
  readerCount += 1;
  const unique = `${Date.now().toString(36)}${readerCount}${Math.random().toString(36).slice(2, 6)}`;
  return { name, email: `reader-${unique}@example.test`, password: 'correct horse battery' };
}

/** Fills and submits the sign-up form (the page must be on /signup). */
export async function fillSignUp(page: Page, reader: Reader): Promise<void> {
  await page.getByLabel('Display name').fill(reader.name);
  await page.getByLabel('Email').fill(reader.email);
  await page.getByLabel('Password').fill(reader.password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

export async function fillSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** The mailed link in a message (every account mail has one, to the /email-link page). */
export function linkIn(mail: { text: string }): string {
  const url = /https?:\/\/\S+\/email-link\?token=[A-Za-z0-9_%-]+/.exec(mail.text)?.[0];
  if (!url) throw new Error(`no link in the message:\n${mail.text}`);
  return url;
}

/**
 * Creates an account as a reader does: the sign-up form, the mailed link, its button. Leaves
 * the browser signed in.
 */
export async function signUpAs(page: Page, reader: Reader = newReader()): Promise<Reader> {
  await page.goto('/signup');
  await fillSignUp(page, reader);
  // Hashing the password can take more than the default 5 s on a loaded machine.
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible({ timeout: 15_000 });
  const mail = await waitForMailTo(reader.email, (m) => m.subject.startsWith('Confirm your email'));
  await page.goto(linkIn(mail));
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page.getByRole('navigation', { name: 'Account' })).toContainText(`Signed in as ${reader.name}`, { timeout: 15_000 });
  return reader;
}

/**
 * For servers a spec starts itself (no SMTP_URL): the first .eml file in `folder` (the `mail`
 * folder beside the server's database) to `address` whose subject matches, parsed with mailparser.
 */
export async function waitForEmlTo(folder: string, address: string, subject: RegExp, timeoutMs = 20_000): Promise<{ subject: string; text: string }> {
  const { simpleParser } = await import('mailparser');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = fs.existsSync(folder) ? fs.readdirSync(folder).filter((name) => name.endsWith('.eml')) : [];
    for (const name of files) {
      const mail = await simpleParser(fs.readFileSync(path.join(folder, name)));
      const to = [mail.to ?? []].flat().flatMap((t) => t.value.map((v) => v.address));
      if (to.includes(address) && subject.test(mail.subject ?? '')) return { subject: mail.subject ?? '', text: mail.text ?? '' };
    }
    if (Date.now() >= deadline) throw new Error(`no .eml to ${address} matching ${subject} in ${folder} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** signUpAs for a server a spec starts itself: the form at `origin`, the link from its .eml folder. */
export async function signUpAt(page: Page, origin: string, mailFolder: string, reader: Reader = newReader(), callbackUrl?: string): Promise<Reader> {
  await page.goto(`${origin}/signup${callbackUrl ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : ''}`);
  await fillSignUp(page, reader);
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible({ timeout: 20_000 });
  await page.goto(linkIn(await waitForEmlTo(mailFolder, reader.email, /^Confirm your email/)));
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page.getByRole('navigation', { name: 'Account' })).toContainText(`Signed in as ${reader.name}`, { timeout: 20_000 });
  return reader;
}

export async function signOut(page: Page): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Account' });
  await nav.getByRole('button', { name: 'Sign out' }).click();
  await expect(nav.getByRole('link', { name: 'Sign in' })).toBeVisible();
}

let ipCount = 0;

export const test = base.extend<{ articlePage: ArticlePageObject }>({
  // Each test is a reader on its own address (a documentation range, only ever a header
  // value), so per-IP sign-in limits count each test separately, as they would real readers.
  extraHTTPHeaders: async ({}, use) => {
    ipCount += 1;
    await use({ 'x-forwarded-for': `198.51.100.${(ipCount % 250) + 1}, 203.0.113.${Math.floor(ipCount / 250) + 1}` });
  },
  articlePage: async ({ page }, use) => {
    await use(new ArticlePageObject(page));
  },
});

export { expect };

/** Posts a comment through the JSON API as the reader signed in on this page's context. */
export async function apiPostComment(page: Page, body: string, extra: Record<string, unknown> = {}): Promise<{ id: number }> {
  const response = await page.request.post(`/api/articles/${ARTICLE_SLUG}/comments`, { data: { body, ...extra } });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()).comment;
}

/** A comment posted by a new reader in a browser of their own, so the page under test is not theirs. */
export async function postAsSomeoneElse(browser: import('@playwright/test').Browser, body: string, extra: Record<string, unknown> = {}): Promise<{ id: number }> {
  const other = await browser.newContext();
  try {
    const page = await other.newPage();
    await signUpAs(page);
    return await apiPostComment(page, body, extra);
  } finally {
    await other.close();
  }
}

/** The comment on the page whose text includes `text`. */
export function commentByText(page: Page, text: string) {
  return page.locator('article.comment').filter({ has: page.locator('.comment__body', { hasText: text }) });
}

/** The e2e server's SQLite file (playwright.config.ts). */
export const E2E_DB_PATH = '.test-data/e2e.db';

/** Grants a role with the real admin command, against the e2e server's database. */
export function grantRole(reader: Reader, role: 'admin' | 'moderator'): void {
  execFileSync(process.execPath, ['--import', 'tsx', '--conditions=react-server', 'scripts/admin.ts', 'grant', reader.email, role], {
    env: { ...process.env, DATABASE_PATH: E2E_DB_PATH },
    stdio: 'pipe',
  });
}

/**
 * The mail catcher Playwright starts beside the e2e server (scripts/mail-catcher-server.mjs):
 * its HTTP control API, on the port playwright.config.ts gives it.
 */
type Caught = import('./mail-catcher').Caught;

export const MAIL_CATCHER_API = `http://127.0.0.1:${Number(process.env.E2E_MAIL_HTTP_PORT ?? 3103)}`;

async function mailCatcher(method: string, route: string): Promise<unknown> {
  const response = await fetch(`${MAIL_CATCHER_API}${route}`, { method });
  if (!response.ok) throw new Error(`mail catcher: ${method} ${route} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** Every message the e2e server's mail reached `address` with (envelope, To or Cc), oldest first. */
export async function mailTo(address: string): Promise<Caught[]> {
  return (await mailCatcher('GET', `/messages?to=${encodeURIComponent(address)}`)) as Caught[];
}

/** The first message to `address` matching `predicate`, polling the catcher until `timeoutMs`. */
export async function waitForMailTo(address: string, predicate: (mail: Caught) => boolean = () => true, timeoutMs = 15_000): Promise<Caught> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await mailTo(address);
    const found = mails.find(predicate);
    if (found) return found;
    if (Date.now() >= deadline) {
      const seen = mails.map((m) => `#${m.id} "${m.subject}"`).join(', ') || 'none';
      throw new Error(`no matching mail to ${address} within ${timeoutMs} ms (messages to it: ${seen})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Stops or starts the catcher's SMTP side: stopped, connections are refused as by a server that is down. */
export async function setMailServerRunning(running: boolean): Promise<void> {
  await mailCatcher('POST', running ? '/smtp/start' : '/smtp/stop');
}

/** Forgets every message the catcher holds. */
export async function clearMail(): Promise<void> {
  await mailCatcher('DELETE', '/messages');
}
