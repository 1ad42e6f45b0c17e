import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { parseFeed } from '@rowanmanning/feed-parser';
import { ARTICLE_PATH, ARTICLE_TITLE, apiPostComment, expect, grantRole, newReader, signUpAs, test } from './fixtures';
import { HOSTILE_COMMENTS } from './hostile-corpus';

/*
 * The Atom feeds (/feed.xml, /articles/<slug>/comments.xml), read as a feed reader reads them:
 * checked for well-formedness by Chromium's XML parser, then parsed by a real feed parser
 * (@rowanmanning/feed-parser).
 */

const SITE_FEED = '/feed.xml';
const COMMENTS_FEED = `${ARTICLE_PATH}/comments.xml`;
const ATOM = 'application/atom+xml';

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;

/** Why Chromium's XML parser refuses this text, or null when it is well-formed XML. */
async function xmlError(page: Page, xml: string): Promise<string | null> {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    return doc.querySelector('parsererror')?.textContent ?? null;
  }, xml);
}

async function fetchFeed(request: APIRequestContext, path: string) {
  const response = await request.get(path);
  expect(response.status(), path).toBe(200);
  expect(response.headers()['content-type']).toContain(ATOM);
  const xml = await response.text();
  return { response, xml, feed: parseFeed(xml) };
}

/** The feed's entry for a comment, found by its permalink. */
function entryFor(feed: ReturnType<typeof parseFeed>, id: number) {
  return feed.items.find((item) => item.url?.endsWith(`#comment-${id}`)) ?? null;
}

/** Polls the comments feed (writes reach it within the revalidation window) until `check` holds. */
async function pollCommentsFeed(request: APIRequestContext, check: (feed: ReturnType<typeof parseFeed>) => boolean, message: string) {
  await expect
    .poll(async () => check((await fetchFeed(request, COMMENTS_FEED)).feed), { message, timeout: 10_000 })
    .toBe(true);
}

/** The feed links in a page's head: type, title and address. */
async function feedLinks(page: Page) {
  return page.locator(`head link[rel="alternate"][type="${ATOM}"]`).evaluateAll((links) =>
    links.map((link) => ({ title: link.getAttribute('title'), href: (link as HTMLLinkElement).href })),
  );
}

async function signedInPage(browser: Browser, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const reader = await signUpAs(page, newReader(name));
  return { page, reader, close: () => context.close() };
}

test('the site feed lists the articles, with their titles and addresses', async ({ page, baseURL }) => {
  const { xml, feed } = await fetchFeed(page.request, SITE_FEED);
  expect(await xmlError(page, xml)).toBeNull();
  expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
  const article = feed.items.find((item) => item.title === ARTICLE_TITLE);
  expect(article, 'the seeded article is an entry').toBeTruthy();
  expect(article!.url).toBe(`${baseURL}${ARTICLE_PATH}`);
  expect(article!.description).toBeTruthy();
  expect(article!.published?.getTime()).toBeGreaterThan(0);
  // rel="self" names the feed's own address.
  expect(feed.self).toBe(`${baseURL}${SITE_FEED}`);
});

test('every page names the site feed in its head, and the article pages their comments feed too', async ({ page, browser, baseURL }) => {
  const siteFeed = `${baseURL}${SITE_FEED}`;
  const commentsFeed = `${baseURL}${COMMENTS_FEED}`;
  // Pages with a canonical URL of their own, and one that takes the root layout's head as it is.
  for (const path of ['/', '/privacy', '/signin', '/account-deleted']) {
    await page.goto(path);
    expect((await feedLinks(page)).map((l) => l.href), path).toEqual([siteFeed]);
  }
  for (const path of [ARTICLE_PATH, `${ARTICLE_PATH}?sort=newest`]) {
    await page.goto(path);
    const links = await feedLinks(page);
    expect(links.map((l) => l.href), path).toEqual([siteFeed, commentsFeed]);
    expect(links[1]!.title).toContain(ARTICLE_TITLE);
  }
  // A signed-in reader's page (another route, proxy.ts) names them too.
  const reader = await signedInPage(browser, 'Feed Finder');
  await reader.page.goto(ARTICLE_PATH);
  await expect(reader.page.getByRole('button', { name: 'Post comment' })).toBeVisible();
  expect((await feedLinks(reader.page)).map((l) => l.href)).toEqual([siteFeed, commentsFeed]);
  // Each named feed answers.
  for (const href of [siteFeed, commentsFeed]) await fetchFeed(reader.page.request, href);
  await reader.close();
});

test('a new comment appears in the comments feed with its author, time and permalink', async ({ page, browser, baseURL }) => {
  const author = await signedInPage(browser, 'Feed <b>Writer</b> & "Co" ]]>');
  const text = unique('Fed to readers');
  const before = Date.now();
  const { id } = await apiPostComment(author.page, `${text} with **bold** words`);
  await pollCommentsFeed(page.request, (feed) => entryFor(feed, id) !== null, 'the new comment reaches the feed');

  const { xml, feed } = await fetchFeed(page.request, COMMENTS_FEED);
  expect(await xmlError(page, xml)).toBeNull();
  const entry = entryFor(feed, id)!;
  expect(entry.url).toBe(`${baseURL}${ARTICLE_PATH}?comment=${id}#comment-${id}`);
  expect(entry.authors.map((a) => a.name)).toEqual([author.reader.name]);
  // The title is text: the name's markup is shown, not applied.
  expect(entry.title).toContain(author.reader.name);
  expect(entry.content).toContain('<strong>bold</strong>');
  expect(entry.content).toContain(text);
  expect(entry.published!.getTime()).toBeGreaterThanOrEqual(before - 2_000);
  expect(entry.published!.getTime()).toBeLessThanOrEqual(Date.now());
  // Newest first, at most 50.
  expect(feed.items[0]!.url).toBe(entry.url);
  expect(feed.items.length).toBeLessThanOrEqual(50);
  expect(feed.self).toBe(`${baseURL}${COMMENTS_FEED}`);
  await author.close();
});

test('held and hidden comments never reach the comments feed', async ({ page, browser }) => {
  const author = await signedInPage(browser, 'Feed Excluded');
  const moderator = await signedInPage(browser, 'Feed Moderator');
  grantRole(moderator.reader, 'admin');

  // Two links hold a comment for review (app/_lib/moderation).
  const heldText = unique('Held for review');
  const held = await apiPostComment(author.page, `${heldText} https://example.com/a and [this](https://example.org/b)`);
  const hiddenText = unique('Soon hidden');
  const hidden = await apiPostComment(author.page, hiddenText);
  await pollCommentsFeed(page.request, (feed) => entryFor(feed, hidden.id) !== null, 'the comment is in the feed before it is hidden');

  await moderator.page.goto(`${ARTICLE_PATH}/comments/${hidden.id}/moderate`);
  await moderator.page.getByRole('button', { name: 'Hide', exact: true }).click();
  await pollCommentsFeed(page.request, (feed) => entryFor(feed, hidden.id) === null, 'the hidden comment leaves the feed');

  // A later comment shows the feed is current, and still without the held one.
  const laterText = unique('Shown after');
  const later = await apiPostComment(author.page, laterText);
  await pollCommentsFeed(page.request, (feed) => entryFor(feed, later.id) !== null, 'a later comment reaches the feed');
  const { xml, feed } = await fetchFeed(page.request, COMMENTS_FEED);
  expect(entryFor(feed, held.id)).toBeNull();
  expect(entryFor(feed, hidden.id)).toBeNull();
  expect(xml).not.toContain(heldText);
  expect(xml).not.toContain(hiddenText);
  await author.close();
  await moderator.close();
});

test('the feeds answer a conditional request with 304, and a change with 200', async ({ page, browser }) => {
  for (const path of [SITE_FEED, COMMENTS_FEED]) {
    const { response } = await fetchFeed(page.request, path);
    const etag = response.headers()['etag']!;
    const lastModified = response.headers()['last-modified']!;
    expect(etag, path).toMatch(/^(W\/)?"[^"]+"$/);
    expect(Number.isNaN(Date.parse(lastModified)), path).toBe(false);
    // Shared caches may keep it (briefly, as the article pages).
    expect(response.headers()['cache-control'], path).toMatch(/public.*s-maxage=\d+/);

    const byTag = await page.request.get(path, { headers: { 'if-none-match': etag } });
    expect(byTag.status(), `${path} If-None-Match`).toBe(304);
    expect(await byTag.text()).toBe('');
    expect(byTag.headers()['etag']).toBe(etag);
    const byDate = await page.request.get(path, { headers: { 'if-modified-since': lastModified } });
    expect(byDate.status(), `${path} If-Modified-Since`).toBe(304);
    // Another tag wins over a matching date (RFC 9110, 13.2.2).
    const otherTag = await page.request.get(path, { headers: { 'if-none-match': '"something-else"', 'if-modified-since': lastModified } });
    expect(otherTag.status(), `${path} other tag`).toBe(200);
    const older = await page.request.get(path, { headers: { 'if-modified-since': new Date(Date.parse(lastModified) - 60_000).toUTCString() } });
    expect(older.status(), `${path} older date`).toBe(200);
  }

  // After a new comment, the old tag no longer matches.
  const { response } = await fetchFeed(page.request, COMMENTS_FEED);
  const etag = response.headers()['etag']!;
  const author = await signedInPage(browser, 'Feed Changer');
  const { id } = await apiPostComment(author.page, unique('A change to the feed'));
  await pollCommentsFeed(page.request, (feed) => entryFor(feed, id) !== null, 'the new comment reaches the feed');
  const changed = await page.request.get(COMMENTS_FEED, { headers: { 'if-none-match': etag } });
  expect(changed.status()).toBe(200);
  expect(changed.headers()['etag']).not.toBe(etag);

  // A signed-in reader gets the same shared feed: it is not rewritten to a per-reader page.
  const signedIn = await author.page.request.get(COMMENTS_FEED);
  expect(signedIn.status()).toBe(200);
  expect(signedIn.headers()['cache-control']).toMatch(/public/);
  expect(signedIn.headers()['etag']).toBe(changed.headers()['etag']);
  await author.close();
});

test('an unknown article has no comments feed', async ({ page }) => {
  const response = await page.request.get('/articles/no-such-article/comments.xml');
  expect(response.status()).toBe(404);
});

// Characters XML 1.0 cannot carry at all, even escaped: the feed leaves them out.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

test('hostile comments give a well-formed feed that keeps their text', async ({ page, browser }) => {
  test.setTimeout(90_000);
  expect(HOSTILE_COMMENTS.length).toBeLessThan(50);
  const author = await signedInPage(browser, 'Feed <i>Hostile</i> ]]> & Co');
  const root = await apiPostComment(author.page, unique('Thread for a hostile feed'));
  const ids: number[] = [];
  for (const body of HOSTILE_COMMENTS) ids.push((await apiPostComment(author.page, body, { parentId: root.id })).id);
  const last = ids.at(-1)!;
  await pollCommentsFeed(page.request, (feed) => entryFor(feed, last) !== null, 'the corpus reaches the feed');

  const { xml, feed } = await fetchFeed(page.request, COMMENTS_FEED);
  expect(await xmlError(page, xml)).toBeNull();
  // What a reader sees of each comment on the page, and what a feed reader shows of its entry.
  await author.page.goto(`${ARTICLE_PATH}?comment=${root.id}`);
  const pageTexts = await author.page.evaluate(
    (commentIds) => commentIds.map((id) => document.querySelector(`#comment-${id} .comment__body`)?.textContent ?? null),
    ids,
  );
  // Read from the XML with Chromium: the feed parser's `content` decodes entities a second time,
  // which would turn an escaped <script> back into markup.
  const feedTexts = await page.evaluate(
    ({ text, commentIds }) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      const byId = new Map<number, string | null>();
      for (const entry of doc.getElementsByTagName('entry')) {
        const href = entry.getElementsByTagName('link')[0]?.getAttribute('href') ?? '';
        const html = entry.getElementsByTagName('content')[0]?.textContent ?? '';
        byId.set(Number(/#comment-(\d+)$/.exec(href)?.[1]), new DOMParser().parseFromString(html, 'text/html').body.textContent);
      }
      return commentIds.map((id) => byId.get(id) ?? null);
    },
    { text: xml, commentIds: ids },
  );
  for (const [i, body] of HOSTILE_COMMENTS.entries()) {
    expect(pageTexts[i], `page text of ${JSON.stringify(body)}`).toBeTruthy();
    expect(feedTexts[i], `feed text of ${JSON.stringify(body)}`).toBe(pageTexts[i]!.replace(NOT_XML, ''));
    expect(entryFor(feed, ids[i]!)!.authors.map((a) => a.name)).toEqual([author.reader.name]);
  }
  // The text that needed escaping is there to read.
  expect(feedTexts.some((text) => text?.includes('<script>window.__xss=1</script>'))).toBe(true);
  expect(feedTexts.some((text) => text?.includes('A CDATA end ]]> in the text'))).toBe(true);
  await author.close();
});
