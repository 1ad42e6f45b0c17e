import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { APIRequestContext, Browser, BrowserContext, Page } from '@playwright/test';
import { DomUtils, parseDocument } from 'htmlparser2';
import { ARTICLE_PATH, apiPostComment, commentByText, expect, grantRole, newReader, signUpAs, test, type Reader } from './fixtures';

/*
 * The served HTML of every kind of page, as each kind of visitor gets it, checked by the W3C Nu
 * HTML checker (the vnu-jar package). The pages are fetched, not rendered by the browser, so
 * what is checked is what the server sends.
 */
const require = createRequire(import.meta.url);
const VNU_JAR = require.resolve('vnu-jar/build/dist/vnu.jar');
/*
 * The system's Java 11+, else the Java runtime vnu-jar downloaded when it was installed (or
 * downloads now): a machine with Node and npm needs nothing else.
 */
const { resolveJava } = require('vnu-jar/vnu-java-downloader') as { resolveJava: () => Promise<string> };

type Served = { url: string; html: string };
type VnuMessage = { type: string; subType?: string; message: string; url?: string; lastLine?: number; extract?: string };

async function fetchPages(request: APIRequestContext, urls: string[]): Promise<Served[]> {
  const pages: Served[] = [];
  for (const url of urls) {
    const response = await request.get(url, { maxRedirects: 0 });
    expect(response.status(), `${url} is a page, not a redirect or an error`).toBe(200);
    pages.push({ url, html: await response.text() });
  }
  return pages;
}

/** The Nu checker's errors for each page (warnings and infos left out), one line each. */
function nuErrors(java: string, pages: Served[], dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files = pages.map((page, index) => {
    const file = path.join(dir, `page-${index}.html`);
    fs.writeFileSync(file, page.html);
    return file;
  });
  const run = spawnSync(java, ['-jar', VNU_JAR, '--format', 'json', '--stdout', ...files], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw run.error;
  // 0: no errors, 1: errors found; anything else means the checker itself failed.
  expect([0, 1], run.stderr).toContain(run.status);
  const { messages } = JSON.parse(run.stdout) as { messages: VnuMessage[] };
  return messages
    .filter((m) => m.type === 'error' || m.type === 'non-document-error')
    .map((m) => {
      const page = pages[files.findIndex((file) => m.url?.endsWith(`/${path.basename(file)}`))]?.url ?? m.url;
      return `${page} (line ${m.lastLine}): ${m.message}${m.extract ? `\n    ${m.extract.trim()}` : ''}`;
    });
}

/** Path and query, normalized, so that two spellings of one address compare equal. */
function address(url: string): string {
  const parsed = new URL(url, 'http://site.test');
  const query = new URLSearchParams(parsed.search).toString();
  return `${parsed.pathname}${query ? `?${query}` : ''}`;
}

/**
 * Forms whose action is not the page itself (a post without JavaScript goes to the action), but
 * the header's sign-out, a plain form to /signout (it is in the reader's part of cached pages),
 * the profile's "Download my data", a plain form to the route that answers with the file, and the
 * search boxes (role="search"), plain GET forms to /search.
 */
function formsPostingElsewhere(pages: Served[]): string[] {
  return pages.flatMap(({ url, html }) =>
    DomUtils.getElementsByTagName('form', parseDocument(html).children)
      .map((form) => form.attribs.action)
      .filter((action) => action !== '/signout' && action !== '/profile/export' && action !== '/search' && (action === undefined || address(action) !== address(url)))
      .map((action) => `${url}: a form posts to ${JSON.stringify(action)}`),
  );
}

/** Checks the pages and returns how many forms each has, so a test can tell it checked some. */
async function expectValidPages(request: APIRequestContext, urls: string[], dir: string): Promise<Record<string, number>> {
  const pages = await fetchPages(request, urls);
  expect(nuErrors(await resolveJava(), pages, dir), 'Nu HTML checker errors').toEqual([]);
  expect(formsPostingElsewhere(pages)).toEqual([]);
  // The search boxes are on every page; the counts are of the forms that act.
  const acting = (html: string) => DomUtils.getElementsByTagName('form', parseDocument(html).children).filter((form) => form.attribs.role !== 'search');
  return Object.fromEntries(pages.map((page) => [page.url, acting(page.html).length]));
}

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

type Actor = { context: BrowserContext; page: Page; reader: Reader };

async function actor(browser: Browser, name: string): Promise<Actor> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const reader = await signUpAs(page, newReader(name));
  return { context, page, reader };
}

let author: Actor;
let reader: Actor;
let moderator: Actor;
let banned: Actor;
let othersComment: number;
let ownComment: number;

// A discussion with the reader's own comments (one held), others' comments, a reply, a report,
// a poll answer and a banned reader, so that every control and queue entry is on some page.
test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  author = await actor(browser, 'Valid Author');
  reader = await actor(browser, 'Valid Reader');
  moderator = await actor(browser, 'Valid Moderator');
  banned = await actor(browser, 'Valid Banned');
  // An admin: a moderator who also sees the audit log.
  grantRole(moderator.reader, 'admin');

  othersComment = (await apiPostComment(author.page, unique('Someone else’s comment, with **Markdown**'))).id;
  await apiPostComment(author.page, unique('A reply to it'), { parentId: othersComment });
  ownComment = (await apiPostComment(reader.page, unique('The reader’s own comment'))).id;
  await apiPostComment(reader.page, unique('A held casino-bonus comment'));
  const spam = unique('Spam casino-bonus from a reader about to be banned');
  await apiPostComment(banned.page, spam);

  // The reader reports the other comment (a queue entry that is shown, with reports)...
  await reader.page.goto(`${ARTICLE_PATH}?comment=${othersComment}`);
  const target = commentByText(reader.page, 'Someone else’s comment');
  await target.getByText('Report', { exact: true }).click();
  await target.getByLabel('Spam').check();
  await target.getByRole('button', { name: 'Send report' }).click();
  await expect(reader.page.getByText('Thank you. The moderators will look at it.')).toBeVisible();
  // ...and answers the poll, so the page shows "Change my answer".
  await reader.page.goto(ARTICLE_PATH);
  const poll = reader.page.locator('.poll__form').first();
  // One tap on a choice sends it (with JavaScript; the button is for a page without).
  await poll.getByRole('radio').first().check();
  await expect(poll.getByText('Your answer is saved.')).toBeVisible();

  // The moderator bans the spammer (the banned list has an entry).
  await moderator.page.goto('/moderation');
  const entry = moderator.page.locator('.queue__item').filter({ hasText: spam });
  await entry.locator('summary', { hasText: 'Ban Valid Banned' }).click();
  await entry.getByLabel('Reason (the reader sees it)').fill('Advertising');
  await entry.getByRole('button', { name: 'Yes, ban Valid Banned' }).click();
  await expect(moderator.page.getByRole('region', { name: /Banned readers/ })).toContainText('Valid Banned');
});

test.afterAll(async () => {
  for (const each of [author, reader, moderator, banned]) await each?.context.close();
});

const articleViews = () => [ARTICLE_PATH, `${ARTICLE_PATH}?sort=newest`, `${ARTICLE_PATH}?sort=top&comment=${othersComment}`];
/** Search results: comments and the article's own text, one discussion, and a message. */
const searchPages = ['/search?q=comment', `/search?q=xiaomi&article=${ARTICLE_PATH.split('/').at(-1)}`, '/search?q=%22'];
/** A comment's focused page: the comment and one form. */
const focused = (id: number, action: string) => `${ARTICLE_PATH}/comments/${id}/${action}`;

test('the pages a signed-out reader gets are valid HTML, and their forms post back to the page', async ({ request }, testInfo) => {
  const signIn = `/signin?callbackUrl=${encodeURIComponent(ARTICLE_PATH)}`;
  const forms = await expectValidPages(
    request,
    ['/', ...articleViews(), signIn, `/signup?callbackUrl=${encodeURIComponent(ARTICLE_PATH)}`, '/privacy', ...searchPages],
    testInfo.outputPath('signed-out'),
  );
  // The comment box, and the poll and vote forms every reader's copy of the page carries (shown
  // to those who may use them).
  expect(forms[ARTICLE_PATH], 'the comment box, polls and votes').toBeGreaterThan(2);
  expect(forms[signIn], 'the password form and a provider button').toBe(2);
});

test('the pages a signed-in reader gets are valid HTML, and their forms post back to the page', async ({}, testInfo) => {
  const own = `${ARTICLE_PATH}?comment=${ownComment}`;
  // The focused pages: a reply, the reader's own edit and delete, a report already sent, and a refusal.
  const pages = [focused(othersComment, 'reply'), focused(ownComment, 'edit'), focused(ownComment, 'delete'), focused(othersComment, 'report'), focused(othersComment, 'edit')];
  const forms = await expectValidPages(reader.context.request, ['/', ...articleViews(), own, '/profile', '/profile/delete', '/privacy', '/moderation', ...pages, ...searchPages], testInfo.outputPath('reader'));
  // Sign out, the comment box, the poll, the discussion's subscribe button, and a vote on each
  // comment shown (this spec's two at least; earlier specs' comments add more).
  expect(forms[ARTICLE_PATH]).toBeGreaterThanOrEqual(6);
  expect(forms['/profile'], 'sign out, name, email, password, reply mail, followed discussions, sign-ins, sign out everywhere, download my data').toBe(9);
  expect(forms['/profile/delete'], 'sign out, delete my account').toBe(2);
  expect(pages.map((page) => forms[page]), 'sign out, and the one form where the reader may act').toEqual([2, 2, 2, 1, 1]);
});

test('the pages a banned reader gets are valid HTML', async ({}, testInfo) => {
  await expectValidPages(banned.context.request, ['/', ARTICLE_PATH, '/profile'], testInfo.outputPath('banned'));
});

test('the pages a moderator gets are valid HTML, and their forms post back to the page', async ({}, testInfo) => {
  const forms = await expectValidPages(
    moderator.context.request,
    ['/moderation', '/moderation/audit', ...articleViews(), '/profile', focused(othersComment, 'moderate')],
    testInfo.outputPath('moderator'),
  );
  expect(forms[focused(othersComment, 'moderate')], 'sign out, editor’s pick, hide and the moderator’s edit').toBe(4);
  // The held, reported and banned entries' actions, and each discussion's policy.
  expect(forms['/moderation']).toBeGreaterThan(8);
});
