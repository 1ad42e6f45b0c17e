import crypto from 'node:crypto';
import Database from 'better-sqlite3';
import type { APIRequestContext, Browser, BrowserContext, Page } from '@playwright/test';
import { ARTICLE_PATH, ARTICLE_SLUG, E2E_DB_PATH, apiPostComment, expect, grantRole as grant, newReader, signUpAs, test, type Reader } from './fixtures';

/*
 * Hostile and malformed posts to the server actions, sent as a browser without JavaScript sends
 * them: multipart/form-data to the page, with the hidden fields React drew into the form
 * ($ACTION_REF_/$ACTION_ID_/$ACTION_KEY). Each form is read from the real page, tampered with,
 * and posted back from this site's origin. Each answer is a 4xx or the page again with a clear
 * message; the database is unchanged and the article still loads. (The JSON doors are covered
 * in hostile-input.spec.ts.)
 */
const DB_PATH = E2E_DB_PATH;
const OTHER_SLUG = 'hostile-actions-other-article';
const MEGABYTE = 'x'.repeat(1024 * 1024);
const INVALID_UTF8 = Buffer.from([0x62, 0x61, 0x64, 0x20, 0xc3, 0x28, 0xff, 0xfe]);
const UNKNOWN_ID = '987654321';

// ---- the database, read-only, to prove nothing changed --------------------------------------

const WATCHED = ['articles', 'questions', 'question_choices', 'poll_votes', 'users', 'comments', 'comment_versions', 'comment_votes', 'comment_reports', 'comment_drafts', 'moderation_log'];

function snapshot(): Record<string, unknown[]> {
  const db = new Database(DB_PATH, { readonly: true, fileMustExist: true });
  try {
    return Object.fromEntries(WATCHED.map((table) => [table, db.prepare(`select * from ${table} order by rowid`).all()]));
  } finally {
    db.close();
  }
}

/** A small write straight to the e2e database, for set-up the site has no form for. */
function write<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(DB_PATH, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return fn(db);
  } finally {
    db.close();
  }
}

function userId(reader: Reader): string {
  return write((db) => db.prepare('select id from users where email = ?').pluck().get(reader.email) as string);
}

/** A second article with a comment by `author`: its id is the "id of another article". */
function commentOnOtherArticle(author: Reader): string {
  return write((db) => {
    db.prepare("insert or ignore into articles (slug, title, summary, body_markdown, content_hash) values (?, 'Another article', 'S', 'Body', 'h')").run(OTHER_SLUG);
    const articleId = db.prepare('select id from articles where slug = ?').pluck().get(OTHER_SLUG);
    const id = db
      .prepare("insert into comments (article_id, author_id, body_markdown, body_html) values (?, ?, 'Elsewhere', '<p>Elsewhere</p>') returning id")
      .pluck()
      .get(articleId, userId(author)) as number;
    db.prepare('update comments set root_id = id where id = ?').run(id);
    return String(id);
  });
}

/** Removes the second article and its comments, so later specs see the site as seeded. */
function removeOtherArticle(): void {
  write((db) => {
    db.pragma('foreign_keys = ON');
    db.prepare('delete from articles where slug = ?').run(OTHER_SLUG);
  });
}


// ---- forms: read, tamper, post ---------------------------------------------------------------

type Value = string | Buffer | { file: string };
type Entry = [name: string, value: Value];
type Tamper = (fields: Entry[]) => Entry[];

const set = (name: string, value: Value): Tamper => (fields) => [...fields.filter(([n]) => n !== name), [name, value]];
const drop = (name: string): Tamper => (fields) => fields.filter(([n]) => n !== name);
/** The field twice, as an array would arrive: `first` then `second`. */
const twice = (name: string, first: string, second: string): Tamper => (fields) => [...drop(name)(fields), [name, first], [name, second]];
const all = (...tampers: Tamper[]): Tamper => (fields) => tampers.reduce((f, t) => t(f), fields);

/**
 * `says`: the page again, showing the message. `status`: a bare refusal, or (200) the page again
 * where it has no form to show a message in: a reader's page has no moderator controls.
 */
type Outcome = { says: string } | { status: 200 | 400 | 413 } | { redirectsTo: RegExp };
type Case = { name: string; tamper: Tamper; expect: Outcome };

/** The two refusals every form shares: a 1 MB field and bytes that are not UTF-8. */
function wireCases(field: string): Case[] {
  return [
    { name: `a 1 MB ${field}`, tamper: set(field, MEGABYTE), expect: { status: 413 } },
    { name: `invalid UTF-8 in ${field}`, tamper: set(field, INVALID_UTF8), expect: { status: 400 } },
  ];
}

/** A browser context with JavaScript off, signed in as `page`'s reader (or signed out). */
async function noScript(browser: Browser, page: Page | null): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: test.info().project.use.baseURL,
    javaScriptEnabled: false,
    storageState: page ? await page.context().storageState() : undefined,
  });
}

type Form = { path: string; fields: Entry[] };

/** The fields a form would send, read from the page as the server drew it. */
async function readForm(context: BrowserContext, path: string, selector: string): Promise<Form> {
  const page = await context.newPage();
  expect((await page.goto(path))?.status()).toBe(200);
  const fields = await page
    .locator(selector)
    .first()
    .evaluate((form) => [...new FormData(form as HTMLFormElement).entries()].map(([name, value]) => [name, String(value)] as [string, string]));
  await page.close();
  expect(fields.some(([name]) => name.startsWith('$ACTION_')), `${selector} on ${path} posts to a server action`).toBe(true);
  return { path, fields };
}

/** A multipart body built by hand, so it can hold duplicate fields, files and any bytes. */
function multipart(entries: Entry[]): { body: Buffer; contentType: string } {
  const boundary = `----hostile${crypto.randomBytes(8).toString('hex')}`;
  const parts = entries.flatMap(([name, value]) => {
    const file = typeof value === 'object' && !Buffer.isBuffer(value);
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? '; filename="x.txt"\r\nContent-Type: text/plain' : ''}\r\n\r\n`;
    return [Buffer.from(head), file ? Buffer.from(value.file) : Buffer.isBuffer(value) ? value : Buffer.from(value), Buffer.from('\r\n')];
  });
  return { body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The text of an HTML page as a reader sees it: markup and scripts (React's payload) removed. */
function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** Posts each tampered form, checks the answer, then that nothing was stored and the site is up. */
async function expectRefused(request: APIRequestContext, form: Form, cases: Case[]): Promise<void> {
  const before = snapshot();
  for (const c of cases) {
    const { body, contentType } = multipart(c.tamper(form.fields));
    const origin = new URL(test.info().project.use.baseURL!).origin;
    const response = await request.post(form.path, { data: body, headers: { 'content-type': contentType, origin }, maxRedirects: 0 });
    const label = `${form.path}: ${c.name}`;
    if ('status' in c.expect) {
      expect(response.status(), label).toBe(c.expect.status);
    } else if ('redirectsTo' in c.expect) {
      expect([303, 307], label).toContain(response.status());
      expect(response.headers().location, label).toMatch(c.expect.redirectsTo);
    } else {
      expect(response.status(), label).toBe(200);
      expect(visibleText(await response.text()), label).toContain(c.expect.says);
    }
    expect(snapshot(), `${label}: the database is unchanged`).toEqual(before);
  }
  expect((await request.get(ARTICLE_PATH)).status()).toBe(200);
}

const commentForm = (id: string, kind: string) => `#comment-${id} form.${kind}`;

// ---- the cases, per action -------------------------------------------------------------------

/** Cases for a form that names a comment: unknown, malformed, another article's. */
function commentIdCases(otherArticleComment: string, unknownMessage = 'That comment does not exist in this discussion.', malformedMessage = 'That comment does not exist.'): Case[] {
  return [
    { name: 'no commentId', tamper: drop('commentId'), expect: { says: malformedMessage } },
    { name: 'a word for a commentId', tamper: set('commentId', 'one'), expect: { says: malformedMessage } },
    { name: 'a fraction for a commentId', tamper: set('commentId', '1.5'), expect: { says: malformedMessage } },
    { name: 'a negative commentId', tamper: set('commentId', '-3'), expect: { says: malformedMessage } },
    { name: 'a hex commentId', tamper: set('commentId', '0x1'), expect: { says: malformedMessage } },
    { name: 'a file for a commentId', tamper: set('commentId', { file: '1' }), expect: { says: malformedMessage } },
    { name: 'an unknown commentId', tamper: set('commentId', UNKNOWN_ID), expect: { says: unknownMessage } },
    { name: 'a commentId of another article', tamper: set('commentId', otherArticleComment), expect: { says: unknownMessage } },
    { name: 'two commentIds, an unknown one first', tamper: twice('commentId', UNKNOWN_ID, otherArticleComment), expect: { says: unknownMessage } },
  ];
}

let admin: { page: Page; reader: Reader };

test.beforeAll(async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  admin = { page, reader: await signUpAs(page, newReader('Hostile Admin')) };
  grant(admin.reader, 'admin');
});
test.afterAll(async () => {
  removeOtherArticle();
  await admin.page.context().close();
});

test('the comment, vote, report and poll forms refuse tampered posts and store nothing', async ({ browser, page }) => {
  test.setTimeout(120_000);
  const author = await signUpAs(page, newReader('Hostile Author'));
  const mine = String((await apiPostComment(page, `Mine ${Date.now()}`)).id);
  const elsewhere = commentOnOtherArticle(author);
  const theirs = String((await apiPostComment(admin.page, `Theirs ${Date.now()}`)).id);
  const context = await noScript(browser, page);
  const request = context.request;

  const post = await readForm(context, ARTICLE_PATH, 'form[aria-label="Write a comment"]');
  await expectRefused(request, post, [
    { name: 'no body', tamper: drop('body'), expect: { says: 'Write your comment first.' } },
    { name: 'a file for a body', tamper: set('body', { file: 'hi' }), expect: { says: 'Write your comment first.' } },
    { name: 'an empty body', tamper: set('body', '   '), expect: { says: 'the comment is empty' } },
    { name: 'two bodies, the first empty', tamper: twice('body', '', 'Second'), expect: { says: 'the comment is empty' } },
    { name: 'a null byte', tamper: set('body', 'null\u0000byte'), expect: { says: 'Your comment contains characters that cannot be stored.' } },
    { name: 'too long', tamper: set('body', 'y'.repeat(6000)), expect: { says: 'Comments can be up to 5,000 characters; yours has 6,000.' } },
    { name: 'an unknown parent', tamper: all(set('body', 'Reply'), set('parentId', UNKNOWN_ID)), expect: { says: 'That comment does not exist in this discussion.' } },
    { name: 'a parent of another article', tamper: all(set('body', 'Reply'), set('parentId', elsewhere)), expect: { says: 'That comment does not exist in this discussion.' } },
    { name: 'a word for a parent', tamper: all(set('body', 'Reply'), set('parentId', 'one')), expect: { says: 'That comment does not exist.' } },
    { name: 'an unknown question', tamper: all(set('body', 'Answer'), set('questionKey', 'no-such-question')), expect: { says: 'That question is not part of this article.' } },
    { name: 'a foreign form token', tamper: all(set('body', 'Hi'), set('clientToken', '<script>')), expect: { says: 'Reload the page and post again.' } },
    { name: 'an unknown article', tamper: all(set('body', 'Hi'), set('articleSlug', 'no-such-article')), expect: { says: 'That article does not exist.' } },
    { name: 'no article', tamper: all(set('body', 'Hi'), drop('articleSlug')), expect: { says: 'That article does not exist.' } },
    ...wireCases('body'),
  ]);

  // Edit, delete, report and the moderators' shortcuts are on each comment's own pages now.
  const edit = await readForm(context, `${ARTICLE_PATH}/comments/${mine}/edit`, 'form.comment-form--edit');
  await expectRefused(request, edit, [
    ...commentIdCases(elsewhere),
    { name: 'another reader’s comment', tamper: set('commentId', theirs), expect: { says: 'You can only change your own comments.' } },
    { name: 'no body', tamper: drop('body'), expect: { says: 'Write your comment first.' } },
    { name: 'a null byte', tamper: set('body', 'a\u0000b'), expect: { says: 'cannot be stored' } },
    { name: 'no article', tamper: drop('articleSlug'), expect: { says: 'That comment does not exist in this discussion.' } },
    ...wireCases('body'),
  ]);

  // Delete and vote call any id they cannot use a comment that does not exist here.
  const notHere = 'That comment does not exist in this discussion.';
  const remove = await readForm(context, `${ARTICLE_PATH}/comments/${mine}/delete`, 'form.comment-form--delete');
  await expectRefused(request, remove, [
    ...commentIdCases(elsewhere, notHere, notHere),
    { name: 'another reader’s comment', tamper: set('commentId', theirs), expect: { says: 'You can only change your own comments.' } },
    { name: 'another article named', tamper: set('articleSlug', OTHER_SLUG), expect: { says: 'That comment does not exist in this discussion.' } },
    ...wireCases('commentId'),
  ]);

  const theirsPath = `${ARTICLE_PATH}?comment=${theirs}`;
  const vote = await readForm(context, theirsPath, commentForm(theirs, 'vote'));
  await expectRefused(request, vote, [
    ...commentIdCases(elsewhere, notHere, notHere),
    { name: 'their own comment', tamper: set('commentId', mine), expect: { says: 'You cannot vote for your own comment.' } },
    ...wireCases('vote'),
  ]);

  const report = await readForm(context, `${ARTICLE_PATH}/comments/${theirs}/report`, 'form.comment-form--report');
  await expectRefused(request, report, [
    { name: 'no reason', tamper: drop('reason'), expect: { says: 'Choose why you are reporting this comment.' } },
    { name: 'an unknown reason', tamper: set('reason', 'boring'), expect: { says: 'Choose why you are reporting this comment.' } },
    { name: '“other” without details', tamper: set('reason', 'other'), expect: { says: 'Say what is wrong with it.' } },
    { name: 'details too long', tamper: all(set('reason', 'spam'), set('details', 'd'.repeat(600))), expect: { says: 'Keep the details to 500 characters.' } },
    { name: 'an unknown comment', tamper: all(set('reason', 'spam'), set('commentId', UNKNOWN_ID)), expect: { says: 'That comment does not exist in this discussion.' } },
    { name: 'a comment of another article', tamper: all(set('reason', 'spam'), set('commentId', elsewhere)), expect: { says: 'That comment does not exist in this discussion.' } },
    { name: 'their own comment', tamper: all(set('reason', 'spam'), set('commentId', mine)), expect: { says: 'You cannot report your own comment.' } },
    ...wireCases('details'),
  ]);

  const stance = await readForm(context, ARTICLE_PATH, 'form.poll__form');
  await expectRefused(request, stance, [
    { name: 'no choice', tamper: drop('choice'), expect: { says: 'Pick one of the answers.' } },
    { name: 'an unknown choice', tamper: set('choice', 'maybe'), expect: { says: 'Pick one of the answers.' } },
    { name: 'a file for a choice', tamper: set('choice', { file: 'yes' }), expect: { says: 'Pick one of the answers.' } },
    { name: 'an open question', tamper: all(set('choice', 'yes'), set('questionKey', 'growth')), expect: { says: 'That question does not take a one-click answer.' } },
    { name: 'an unknown question', tamper: all(set('choice', 'yes'), set('questionKey', 'no-such-question')), expect: { says: 'That question is not part of this article.' } },
    { name: 'another article', tamper: all(set('choice', 'yes'), set('articleSlug', OTHER_SLUG)), expect: { says: 'That question is not part of this article.' } },
    { name: 'an unknown article', tamper: all(set('choice', 'yes'), set('articleSlug', 'no-such-article')), expect: { says: 'That article does not exist.' } },
    ...wireCases('choice'),
  ]);
  await context.close();
});

test('the moderators’ shortcuts on the article page refuse tampered posts, and readers', async ({ browser, page }) => {
  const author = await signUpAs(page, newReader('Shortcut Author'));
  const target = String((await apiPostComment(page, `Shortcut target ${Date.now()}`)).id);
  const elsewhere = commentOnOtherArticle(author);
  const context = await noScript(browser, admin.page);
  const moderatorCases = (flag: Case[]): Case[] => [
    ...commentIdCases(elsewhere, 'That comment does not exist in this discussion.'),
    { name: 'no article', tamper: drop('articleSlug'), expect: { says: 'That article does not exist.' } },
    { name: 'another article named', tamper: set('articleSlug', OTHER_SLUG), expect: { says: 'That comment does not exist in this discussion.' } },
    ...flag,
    ...wireCases('articleSlug'),
  ];
  const moderate = `${ARTICLE_PATH}/comments/${target}/moderate`;
  const feature = await readForm(context, moderate, '.moderator-controls form >> nth=0');
  await expectRefused(context.request, feature, moderatorCases([{ name: 'a featured flag that is not 0 or 1', tamper: set('featured', 'yes'), expect: { says: 'Check the form and try again.' } }]));
  const hide = await readForm(context, moderate, '.moderator-controls form >> nth=1');
  await expectRefused(context.request, hide, moderatorCases([]));

  // The moderator's edit, sent with a reason so that each case meets the check it names.
  const edit = await readForm(context, moderate, 'form.comment-form--moderator-edit');
  const withReason = (cases: Case[]) => cases.map((c) => ({ ...c, tamper: all(set('reason', 'Redacting'), c.tamper) }));
  await expectRefused(
    context.request,
    edit,
    withReason(
      moderatorCases([
        { name: 'no reason', tamper: set('reason', ' '), expect: { says: 'Say why you changed the comment; readers see it in its history.' } },
        { name: 'an empty text', tamper: set('body', ' \n '), expect: { says: 'Write something before posting: the comment is empty.' } },
        ...wireCases('body'),
      ]),
    ),
  );

  // A reader who posts the moderator's forms (their action ids are the same for everyone): refused
  // in the service; their page has no moderator controls, so it comes back as it was.
  const reader = await noScript(browser, page);
  for (const form of [feature, hide, edit]) {
    await expectRefused(reader.request, form, [{ name: 'as a reader', tamper: (f) => f, expect: { status: 200 } }]);
  }
  await Promise.all([context.close(), reader.close()]);
});

test('the signed-out comment box keeps no draft for a tampered post', async ({ browser }) => {
  const context = await noScript(browser, null);
  const draft = await readForm(context, ARTICLE_PATH, 'form[aria-label="Write a comment"]');
  const toSignIn = /^\/signin\?callbackUrl=/;
  await expectRefused(context.request, draft, [
    { name: 'no body', tamper: drop('body'), expect: { redirectsTo: toSignIn } },
    { name: 'a file for a body', tamper: set('body', { file: 'draft' }), expect: { redirectsTo: toSignIn } },
    { name: 'a null byte', tamper: set('body', 'null\u0000byte'), expect: { redirectsTo: toSignIn } },
    { name: 'an unknown article', tamper: all(set('body', 'Draft'), set('articleSlug', 'no-such-article')), expect: { redirectsTo: /^\/signin\?callbackUrl=%2F$/ } },
    ...wireCases('body'),
  ]);
  await context.close();
});

test('sign-in, sign-up and profile forms refuse tampered posts and store nothing', async ({ browser, page }) => {
  const reader = await signUpAs(page, newReader('Hostile Profile'));
  const signedOut = await noScript(browser, null);

  const signIn = await readForm(signedOut, '/signin', 'form[aria-labelledby="signin-heading"]');
  const unknown = set('email', `nobody-${Date.now()}@example.test`);
  await expectRefused(signedOut.request, signIn, [
    { name: 'no email', tamper: all(drop('email'), set('password', 'whatever pass')), expect: { says: 'Enter your email address.' } },
    { name: 'a file for an email', tamper: all(set('email', { file: reader.email }), set('password', 'whatever pass')), expect: { says: 'Enter your email address.' } },
    { name: 'not an email', tamper: all(set('email', 'not-an-email'), set('password', 'whatever pass')), expect: { says: 'Enter a valid email address' } },
    { name: 'a null byte in the email', tamper: all(set('email', `a\u0000${reader.email}`), set('password', 'whatever pass')), expect: { says: 'Enter a valid email address' } },
    { name: 'no password', tamper: all(unknown, drop('password')), expect: { says: 'Enter your password.' } },
    { name: 'an unknown account', tamper: all(unknown, set('password', 'whatever pass')), expect: { says: 'Email or password is incorrect.' } },
    { name: 'two emails, the first empty', tamper: all(twice('email', '', reader.email), set('password', reader.password)), expect: { says: 'Enter your email address.' } },
    ...wireCases('password'),
  ]);

  const provider = await readForm(signedOut, '/signin', 'form:has(input[name="provider"])');
  await expectRefused(signedOut.request, provider, [
    { name: 'an unknown provider', tamper: set('provider', 'evil'), expect: { redirectsTo: /^\/signin\?error=provider/ } },
    { name: 'no provider', tamper: drop('provider'), expect: { redirectsTo: /^\/signin\?error=provider/ } },
    ...wireCases('provider'),
  ]);
  const providerPage = await signedOut.newPage();
  await providerPage.goto('/signin?error=provider');
  await expect(providerPage.getByRole('alert')).toHaveText('That way of signing in is not available here.');

  const signUp = await readForm(signedOut, '/signup', 'form[aria-labelledby="signup-heading"]');
  const valid = all(set('name', 'New Reader'), set('email', `new-${Date.now()}@example.test`), set('password', 'long enough password'));
  await expectRefused(signedOut.request, signUp, [
    { name: 'no name', tamper: all(valid, drop('name')), expect: { says: 'Enter a display name.' } },
    { name: 'a null byte in the name', tamper: all(valid, set('name', 'Ada\u0000')), expect: { says: 'Your display name has characters that cannot be shown.' } },
    { name: 'a file for a name', tamper: all(valid, set('name', { file: 'Ada' })), expect: { says: 'Enter a display name.' } },
    { name: 'a short password', tamper: all(valid, set('password', 'short')), expect: { says: 'Use at least 10 characters for your password.' } },
    // A registered address gets the answer a new one gets (its owner is mailed instead), and no account is made.
    { name: 'an email already taken', tamper: all(valid, set('email', reader.email.toUpperCase())), expect: { says: 'Check your email' } },
    { name: 'two emails, the first invalid', tamper: all(valid, twice('email', 'nope', 'ok@example.test')), expect: { says: 'Enter a valid email address' } },
    ...wireCases('name').map((c) => ({ ...c, tamper: all(valid, c.tamper) })),
  ]);

  const context = await noScript(browser, page);
  const profile = await readForm(context, '/profile', 'form[aria-labelledby="profile-heading"]');
  await expectRefused(context.request, profile, [
    { name: 'no name', tamper: drop('name'), expect: { says: 'Enter a display name.' } },
    { name: 'a blank name', tamper: set('name', ' \t '), expect: { says: 'Enter a display name.' } },
    { name: 'a null byte', tamper: set('name', 'Ada\u0000Lovelace'), expect: { says: 'Your display name has characters that cannot be shown.' } },
    { name: 'a name too long', tamper: set('name', 'n'.repeat(51)), expect: { says: 'Keep your display name to 50 characters or fewer.' } },
    { name: 'two names, the first blank', tamper: twice('name', '', 'Second'), expect: { says: 'Enter a display name.' } },
    ...wireCases('name'),
  ]);
  // The same form posted with no session.
  // The same form posted with no session: refused, and the page sends them to sign in.
  await expectRefused(signedOut.request, profile, [{ name: 'signed out', tamper: set('name', 'Ghost'), expect: { redirectsTo: /^\/signin\?callbackUrl=/ } }]);
  await Promise.all([context.close(), signedOut.close()]);
});

test('the moderation queue’s forms refuse tampered posts and store nothing', async ({ browser, page }) => {
  test.setTimeout(120_000);
  const author = await signUpAs(page, newReader('Queue Author'));
  // A held comment (the e2e server holds this word), a hidden one, a reported one, a banned reader.
  const held = String((await apiPostComment(page, `casino-bonus ${Date.now()}`)).id);
  const hidden = String((await apiPostComment(page, `Hidden ${Date.now()}`)).id);
  const reported = String((await apiPostComment(page, `Reported ${Date.now()}`)).id);
  const elsewhere = commentOnOtherArticle(author);
  const banned = newReader('Queue Banned');
  await signUpAs(await (await browser.newContext()).newPage(), banned);
  write((db) => {
    db.prepare("update comments set status = 'hidden', moderation_reason = 'reports' where id = ?").run(hidden);
    db.prepare('insert into comment_reports (comment_id, user_id, reason) values (?, ?, ?)').run(reported, userId(admin.reader), 'spam');
    db.prepare('update comments set report_count = 1 where id = ?').run(reported);
    db.prepare("update users set banned_at = unixepoch() * 1000, ban_reason = 'Set-up' where email = ?").run(banned.email);
  });

  const context = await noScript(browser, admin.page);
  const queueForm = (commentId: string, button: string) => `li.queue__item:has(a[href*="comment=${commentId}"]) form:has(button:text-is("${button}"))`;
  const idCases = commentIdCases(elsewhere).filter((c) => c.name !== 'a commentId of another article' && !c.name.startsWith('two'));

  for (const [id, button] of [[held, 'Approve'], [hidden, 'Restore']] as const) {
    await expectRefused(context.request, await readForm(context, '/moderation', queueForm(id, button)), [...idCases, ...wireCases('commentId')]);
  }
  const reject = await readForm(context, '/moderation', queueForm(held, 'Reject'));
  await expectRefused(context.request, reject, [
    ...idCases,
    { name: 'a reason too long', tamper: set('reason', 'r'.repeat(600)), expect: { says: 'Keep the reason to 500 characters.' } },
    ...wireCases('reason'),
  ]);
  const feature = await readForm(context, '/moderation', queueForm(reported, 'Feature'));
  await expectRefused(context.request, feature, [
    ...idCases,
    { name: 'a featured flag that is not 0 or 1', tamper: set('featured', '2'), expect: { says: 'Check the form and try again.' } },
    { name: 'a held comment', tamper: set('commentId', held), expect: { says: 'That comment does not exist in this discussion.' } },
  ]);

  const ban = await readForm(context, '/moderation', `li.queue__item:has(a[href*="comment=${held}"]) form.mod-form--stack`);
  const reason = set('reason', 'Spam');
  await expectRefused(context.request, ban, [
    { name: 'no reader', tamper: all(reason, drop('userId')), expect: { says: 'That reader does not exist.' } },
    { name: 'an unknown reader', tamper: all(reason, set('userId', 'no-such-reader')), expect: { says: 'That reader does not exist.' } },
    { name: 'a reader id too long', tamper: all(reason, set('userId', 'u'.repeat(65))), expect: { says: 'That reader does not exist.' } },
    { name: 'the admin themselves', tamper: all(reason, set('userId', userId(admin.reader))), expect: { says: 'Moderators and admins cannot be banned here' } },
    { name: 'no reason', tamper: drop('reason'), expect: { says: 'Say why the reader is banned; they will see it.' } },
    { name: 'an end date that is not a date', tamper: all(reason, set('until', 'next tuesday')), expect: { says: 'Give the end date as a date, or leave it empty.' } },
    { name: 'an end date in the past', tamper: all(reason, set('until', '2001-01-01')), expect: { says: 'The end date must be in the future.' } },
    ...wireCases('reason'),
  ]);

  const unban = await readForm(context, '/moderation', '.mod-banned form');
  await expectRefused(context.request, unban, [
    { name: 'no reader', tamper: drop('userId'), expect: { says: 'That reader does not exist.' } },
    { name: 'an unknown reader', tamper: set('userId', 'no-such-reader'), expect: { says: 'That reader does not exist.' } },
    ...wireCases('userId'),
  ]);

  const articleForm = (button: RegExp | string) => `.mod-articles li:has(a[href="${ARTICLE_PATH}"]) form:has(button:text-matches("${button}"))`;
  const policy = await readForm(context, '/moderation', articleForm('Save policy'));
  await expectRefused(context.request, policy, [
    { name: 'an unknown policy', tamper: set('moderation', 'sometimes'), expect: { says: 'Choose a policy.' } },
    { name: 'no policy', tamper: drop('moderation'), expect: { says: 'Choose a policy.' } },
    { name: 'an unknown article', tamper: set('slug', 'no-such-article'), expect: { says: 'That article does not exist.' } },
    { name: 'no article', tamper: drop('slug'), expect: { says: 'That article does not exist.' } },
    ...wireCases('slug'),
  ]);
  const close = await readForm(context, '/moderation', articleForm('Yes, close the discussion'));
  await expectRefused(context.request, close, [
    { name: 'a flag that is not 0 or 1', tamper: set('closed', 'yes'), expect: { says: 'Check the form and try again.' } },
    { name: 'an unknown article', tamper: set('slug', 'no-such-article'), expect: { says: 'That article does not exist.' } },
    { name: 'two slugs, an unknown one last', tamper: twice('slug', ARTICLE_SLUG, 'no-such-article'), expect: { says: 'That article does not exist.' } },
    ...wireCases('closed'),
  ]);

  // Every queue form, posted by a reader: the role is checked in the action, not by the page.
  const reader = await noScript(browser, page);
  for (const form of [reject, ban, unban, policy, close]) {
    await expectRefused(reader.request, form, [{ name: 'as a reader', tamper: (f) => f, expect: { says: 'Only moderators can' } }]);
  }
  await Promise.all([context.close(), reader.close()]);
});

test('the sign-ins form refuses another reader’s session, a made-up one and malformed posts, and ends nothing', async ({ browser, page }) => {
  const reader = await signUpAs(page, newReader('Hostile Sessions'));
  const sessionOf = (who: Reader) => write((db) => db.prepare('select id from user_sessions where user_id = ? order by created_at desc').pluck().get(userId(who)) as string);
  const sessions = () => write((db) => db.prepare('select id, user_id from user_sessions order by id').all());
  const theirs = sessionOf(admin.reader);
  const mine = sessionOf(reader);
  const context = await noScript(browser, page);
  const form = await readForm(context, '/profile', 'form.session-list');
  const notMine = 'That sign-in is not one of yours, or it has already ended. Nothing was changed.';
  const choose = 'Choose a sign-in to end.';
  const before = sessions();
  await expectRefused(context.request, form, [
    { name: 'another reader’s session', tamper: set('sessionId', theirs), expect: { says: notMine } },
    { name: 'a made-up session', tamper: set('sessionId', 'made-up-session-id'), expect: { says: notMine } },
    { name: 'this browser’s own session', tamper: set('sessionId', mine), expect: { says: 'That is this browser’s own sign-in: use “Sign out” to end it.' } },
    { name: 'no session and no scope', tamper: drop('sessionId'), expect: { says: choose } },
    { name: 'a session and a scope', tamper: all(set('sessionId', theirs), set('scope', 'others')), expect: { says: choose } },
    { name: 'an unknown scope', tamper: set('scope', 'everyone'), expect: { says: choose } },
    { name: 'a file for a session', tamper: set('sessionId', { file: theirs }), expect: { says: choose } },
    { name: 'an over-long session id', tamper: set('sessionId', 's'.repeat(65)), expect: { says: choose } },
    ...wireCases('sessionId'),
  ]);
  expect(sessions(), 'every session is still there').toEqual(before);
  await context.close();
});

test('“Delete my account” and “Download my data” refuse tampered, cross-site and signed-out posts, and store nothing', async ({ browser, page }) => {
  test.setTimeout(120_000);
  const reader = await signUpAs(page, newReader('Hostile Leaver'));
  await apiPostComment(page, `Still here ${Date.now()}`);
  const context = await noScript(browser, page);
  const form = await readForm(context, '/profile/delete', 'form[aria-labelledby="delete-heading"]');
  const valid = all(set('comments', 'keep'), set('password', reader.password));
  const choose = 'Choose what happens to your comments.';
  await expectRefused(context.request, form, [
    { name: 'no choice', tamper: all(valid, drop('comments')), expect: { says: choose } },
    { name: 'an unknown choice', tamper: all(valid, set('comments', 'everything')), expect: { says: choose } },
    { name: 'a file for a choice', tamper: all(valid, set('comments', { file: 'keep' })), expect: { says: choose } },
    { name: 'two choices, an unknown one first', tamper: all(valid, twice('comments', 'all', 'keep')), expect: { says: choose } },
    { name: 'no password', tamper: all(valid, drop('password')), expect: { says: 'Enter your password.' } },
    { name: 'a file for a password', tamper: all(valid, set('password', { file: reader.password })), expect: { says: 'Enter your password.' } },
    { name: 'a wrong password', tamper: all(valid, set('password', 'not the password')), expect: { says: 'Your password is incorrect.' } },
    // Inside it: a trailing NUL is the same password to scrypt (HMAC pads its key with zeros).
    { name: 'a null byte in the password', tamper: all(valid, set('password', `correct\u0000horse battery`)), expect: { says: 'Your password is incorrect.' } },
    ...wireCases('password').map((c) => ({ ...c, tamper: all(valid, c.tamper) })),
  ]);

  // A moderator posting the same form (its action id is the same for everyone): refused in the service.
  const moderatorPage = await (await browser.newContext()).newPage();
  grant(await signUpAs(moderatorPage, newReader('Hostile Moderator')), 'moderator');
  const moderator = await noScript(browser, moderatorPage);

  // The whole form, from another site, or with no session: refused, nothing stored.
  const before = snapshot();
  const { body, contentType } = multipart(valid(form.fields));
  const crossSite = await context.request.post(form.path, { data: body, headers: { 'content-type': contentType, origin: 'https://evil.example' }, maxRedirects: 0 });
  expect(crossSite.status()).toBe(403);
  const signedOut = await noScript(browser, null);
  await expectRefused(signedOut.request, form, [{ name: 'signed out', tamper: valid, expect: { says: 'Your session has ended. Sign in again.' } }]);
  await expectRefused(moderator.request, form, [{ name: 'as a moderator', tamper: valid, expect: { says: 'A moderator’s account cannot be deleted.' } }]);

  // The export route: another site, a signed-out reader, a GET, a malformed body, then the limit.
  const exportPath = '/profile/export';
  const origin = new URL(test.info().project.use.baseURL!).origin;
  const refusal = async (response: import('@playwright/test').APIResponse) => (await response.json()).error as { code: string; message: string };
  const evil = await context.request.post(exportPath, { headers: { origin: 'https://evil.example' }, form: { x: '1' } });
  expect(evil.status()).toBe(403);
  expect(await refusal(evil)).toEqual({ code: 'forbidden:cross_site', message: 'Cross-site requests are not allowed.' });
  const fetchedCrossSite = await context.request.post(exportPath, { headers: { 'sec-fetch-site': 'cross-site' } });
  expect(fetchedCrossSite.status()).toBe(403);
  const noSession = await signedOut.request.post(exportPath, { headers: { origin }, form: {} });
  expect(noSession.status()).toBe(401);
  expect(await refusal(noSession)).toEqual({ code: 'unauthorized:session', message: 'Your session has ended. Sign in again.' });
  expect((await context.request.get(exportPath)).status()).toBe(405);
  for (const c of wireCases('anything')) {
    const wire = multipart(c.tamper([]));
    const response = await context.request.post(exportPath, { data: wire.body, headers: { 'content-type': wire.contentType, origin } });
    expect(response.status(), c.name).toBe((c.expect as { status: number }).status);
  }
  // Bogus fields are ignored: the file comes, three times an hour (EXPORT_LIMIT_PER_HOUR), then a clear 429.
  for (let i = 0; i < 3; i += 1) {
    const file = await context.request.post(exportPath, { headers: { origin }, multipart: { commentId: UNKNOWN_ID, userId: 'someone-else' } });
    expect(file.status()).toBe(200);
    expect(file.headers()['content-disposition']).toMatch(/^attachment; filename="my-data-\d{4}-\d{2}-\d{2}\.json"$/);
    expect((await file.json()).account.email).toBe(reader.email);
  }
  const limited = await context.request.post(exportPath, { headers: { origin }, form: {} });
  expect(limited.status()).toBe(429);
  expect((await refusal(limited)).message).toMatch(/^You downloaded your data several times in the last hour\. Try again in \d+ minutes?\.$/);
  expect(snapshot()).toEqual(before);
  expect(write((db) => db.prepare('select count(*) from users where email = ?').pluck().get(reader.email))).toBe(1);
  await Promise.all([context.close(), signedOut.close(), moderator.close(), moderatorPage.context().close()]);
});
