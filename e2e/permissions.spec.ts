import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Locator, Page } from '@playwright/test';
import { ARTICLE_PATH, ARTICLE_SLUG, E2E_DB_PATH, apiPostComment, expect, grantRole, newReader, signUpAs, test, type Reader } from './fixtures';

/*
 * The permissions matrix, as each kind of reader meets it on the article page: signed out,
 * reader, moderator, admin and banned, each looking at their own comment, their own held
 * comment, another reader's comment and another reader's held comment. The expected controls
 * are the table below, written from the rules, not from the code; the page must draw exactly
 * those, the JSON API must report the same actions, and every control that is not drawn must be
 * refused by the server when its form is posted anyway.
 */

type Actor = 'signed out' | 'reader' | 'moderator' | 'admin' | 'banned';
const ACTORS: Actor[] = ['signed out', 'reader', 'moderator', 'admin', 'banned'];
type Kind = 'own' | 'own held' | 'others' | 'others held';
const KINDS: Kind[] = ['own', 'own held', 'others', 'others held'];

/** The page's controls on one comment, and the permission each stands for. */
const CONTROLS = ['vote', 'reply', 'edit', 'delete', 'report', 'feature', 'hide'] as const;
type Control = (typeof CONTROLS)[number];
const ACTION_OF: Record<Control, string> = { vote: 'vote', reply: 'reply', edit: 'edit', delete: 'delete', report: 'report', feature: 'feature', hide: 'reject' };
type Seen = Control | 'sign in to vote' | 'sign in to reply' | 'absent';

/** The rules, as a table: what each actor may do to each kind of comment on the page. */
function expected(actor: Actor, kind: Kind): Seen[] {
  // Held comments are shown to their author only; moderators find others' in the queue.
  if (kind === 'others held') return ['absent'];
  if (actor === 'signed out') return kind === 'others' ? ['sign in to vote', 'sign in to reply'] : ['absent'];
  // A banned reader may only read, their own comments included.
  if (actor === 'banned') return [];
  const staff: Control[] = actor === 'reader' ? [] : ['feature', 'hide'];
  if (kind === 'own') return ['reply', 'edit', 'delete', ...staff];
  if (kind === 'own held') return ['edit', 'delete', ...(actor === 'reader' ? [] : (['hide'] as Control[]))];
  return ['vote', 'reply', 'report', ...staff];
}

const HELD_WORD = 'casino-bonus'; // the e2e server holds comments with it (playwright.config.ts)

type Party = { context: BrowserContext; page: Page; reader: Reader | null; comments: Partial<Record<Kind, number>> };
const parties = new Map<Actor | 'bystander', Party>();
const idOf = (actor: Actor, kind: Kind): number | undefined =>
  kind.startsWith('others') ? parties.get('bystander')!.comments[kind === 'others' ? 'own' : 'own held'] : parties.get(actor)!.comments[kind];

function db<T>(fn: (db: Database.Database) => T): T {
  const handle = new Database(E2E_DB_PATH, { fileMustExist: true });
  try {
    handle.pragma('busy_timeout = 5000');
    return fn(handle);
  } finally {
    handle.close();
  }
}

/** Everything a refused action could have changed. */
const snapshot = () =>
  db((h) => ['comments', 'comment_votes', 'comment_reports', 'moderation_log', 'users', 'poll_votes'].map((t) => h.prepare(`select * from ${t} order by rowid`).all()));

/** A context without JavaScript, as the server drew the page, signed in as `from` (or not). */
async function noScript(browser: Browser, from: BrowserContext | null): Promise<BrowserContext> {
  return browser.newContext({ baseURL: test.info().project.use.baseURL, javaScriptEnabled: false, storageState: from ? await from.storageState() : undefined });
}

async function party(browser: Browser, name: string | null): Promise<Party> {
  if (!name) {
    const context = await noScript(browser, null);
    return { context, page: await context.newPage(), reader: null, comments: {} };
  }
  const signUp = await browser.newContext();
  const page = await signUp.newPage();
  const reader = await signUpAs(page, newReader(name));
  const stamp = Date.now().toString(36);
  const own = (await apiPostComment(page, `${name}'s comment ${stamp}`)).id;
  const held = (await apiPostComment(page, `${name}'s held ${HELD_WORD} comment ${stamp}`)).id;
  const context = await noScript(browser, signUp);
  await signUp.close();
  return { context, page: await context.newPage(), reader, comments: { own, 'own held': held } };
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  parties.set('bystander', await party(browser, 'Matrix Bystander'));
  parties.set('signed out', await party(browser, null));
  for (const actor of ['reader', 'moderator', 'admin', 'banned'] as const) parties.set(actor, await party(browser, `Matrix ${actor}`));
  // Roles and the ban come after the comments, so staff and the banned have held comments too.
  grantRole(parties.get('moderator')!.reader!, 'moderator');
  grantRole(parties.get('admin')!.reader!, 'admin');
  // A ban as set-up (the queue's ban form is covered in moderation.spec.ts).
  db((h) => h.prepare("update users set banned_at = unixepoch() * 1000, ban_reason = 'Matrix' where email = ?").run(parties.get('banned')!.reader!.email));
});
test.afterAll(async () => {
  for (const { context } of parties.values()) await context.close();
});

/** The newest comments first, so this spec's are on the first page. */
const PAGE = `${ARTICLE_PATH}?sort=newest`;

async function controlsOn(page: Page, id: number | undefined): Promise<Seen[]> {
  const comment = page.locator(`article#comment-${id}`);
  if (id === undefined || (await comment.count()) === 0) return ['absent'];
  // Each control is a link to the page with its form (the vote is a form); only those drawn
  // for this reader are visible, so only those have a role.
  const link = (name: string) => comment.getByRole('link', { name, exact: true });
  const found: [Seen, Locator][] = [
    ['vote', comment.getByRole('button', { name: /^Up-vote/ })],
    ['sign in to vote', comment.getByRole('link', { name: /^Sign in to up-vote/ })],
    ['reply', link('Reply')],
    ['sign in to reply', link('Sign in to reply')],
    ['edit', link('Edit')],
    ['delete', link('Delete')],
    ['report', link('Report')],
    ['feature', comment.getByRole('link', { name: /editor’s pick/ })],
    ['hide', link('Hide')],
  ];
  const seen: Seen[] = [];
  for (const [name, locator] of found) if ((await locator.count()) > 0) seen.push(name);
  return seen;
}

const sorted = <T>(list: T[]) => [...list].sort();

test('each actor sees exactly the controls the rules give them, and the API reports the same actions', async () => {
  for (const actor of ACTORS) {
    const { page } = parties.get(actor)!;
    await page.goto(PAGE);
    const api = await page.request.get(`/api/articles/${ARTICLE_SLUG}/comments?sort=newest`);
    expect(api.status()).toBe(200);
    const threads = (await api.json()).threads as { id: number; actions: string[] }[];
    for (const kind of KINDS) {
      if (actor === 'signed out' && !kind.startsWith('others')) continue;
      const id = idOf(actor, kind);
      const want = expected(actor, kind);
      expect(sorted(await controlsOn(page, id)), `${actor}, ${kind} comment: the controls drawn`).toEqual(sorted(want));
      const listed = threads.find((t) => t.id === id);
      const apiControls = listed ? CONTROLS.filter((c) => listed.actions.includes(ACTION_OF[c])) : ['absent'];
      const wantActions = want.filter((s): s is Control => (CONTROLS as readonly string[]).includes(s));
      expect(sorted(apiControls), `${actor}, ${kind} comment: the actions the API reports`).toEqual(sorted(want[0] === 'absent' ? want : wantActions));
    }

    const discussion = page.getByRole('region', { name: 'Discussion' });
    const header = page.getByRole('navigation', { name: 'Account' });
    const siteControls = {
      post: await discussion.getByRole('button', { name: 'Post comment' }).count(),
      'sign in to post': await discussion.getByRole('button', { name: 'Sign in to post' }).count(),
      poll: await discussion.getByRole('button', { name: /^(Give|Change) my answer$/ }).count(),
      'sign in to answer': await discussion.getByRole('link', { name: 'Sign in to give your answer' }).count(),
      moderation: await header.getByRole('link', { name: 'Moderation' }).count(),
    };
    const seen = Object.entries(siteControls).filter(([, n]) => n > 0).map(([name]) => name);
    const want = {
      'signed out': ['sign in to post', 'sign in to answer'],
      reader: ['post', 'poll'],
      moderator: ['post', 'poll', 'moderation'],
      admin: ['post', 'poll', 'moderation'],
      banned: [],
    }[actor];
    expect(sorted(seen), `${actor}: the discussion's controls`).toEqual(sorted(want));
    if (actor === 'banned') await expect(discussion.getByText('You are banned from the discussion until a moderator lifts it. Reason: Matrix')).toBeVisible();
  }

  // The queue and the audit log: links drawn only for those who may read them.
  for (const actor of ['moderator', 'admin'] as const) {
    const { page } = parties.get(actor)!;
    await page.goto('/moderation');
    await expect(page.getByRole('heading', { name: /^Queue \(\d+\)$/ })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Audit log' })).toHaveCount(actor === 'admin' ? 1 : 0);
  }
});

/** A control's form, read from a page where it is drawn; posted below as someone it is not drawn for. */
type FormTemplate = { fields: Record<string, string>; target: 'commentId' | 'parentId' };

async function readForms(): Promise<Record<Control, FormTemplate>> {
  const admin = parties.get('admin')!;
  const page = await admin.context.newPage();
  // Each form where it is drawn: the vote on the article, the others on each comment's own page.
  const read = async (path: string, selector: string): Promise<Record<string, string>> => {
    await page.goto(path);
    return Object.fromEntries(await page.locator(selector).first().evaluate((form) => [...new FormData(form as HTMLFormElement).entries()].map(([k, v]) => [k, String(v)])));
  };
  const others = idOf('admin', 'others');
  const own = idOf('admin', 'own');
  const focused = (id: number | undefined, action: string) => `${ARTICLE_PATH}/comments/${id}/${action}`;
  const forms: Record<Control, FormTemplate> = {
    vote: { fields: await read(PAGE, `#comment-${others} form.vote`), target: 'commentId' },
    reply: { fields: { ...(await read(focused(others, 'reply'), 'form[aria-label="Reply"]')), body: 'A reply that must be refused' }, target: 'parentId' },
    report: { fields: { ...(await read(focused(others, 'report'), 'form.comment-form--report')), reason: 'spam' }, target: 'commentId' },
    feature: { fields: await read(focused(others, 'moderate'), '.moderator-controls form >> nth=0'), target: 'commentId' },
    hide: { fields: await read(focused(others, 'moderate'), '.moderator-controls form >> nth=1'), target: 'commentId' },
    edit: { fields: { ...(await read(focused(own, 'edit'), 'form.comment-form--edit')), body: 'An edit that must be refused' }, target: 'commentId' },
    delete: { fields: await read(focused(own, 'delete'), 'form.comment-form--delete'), target: 'commentId' },
  };
  await page.close();
  for (const form of Object.values(forms)) {
    delete form.fields.clientToken; // a fresh post, not a repeat
    delete form.fields.then; // answered as the article's own forms are: a redirect to the comment
  }
  return forms;
}

test('every control that is not drawn is refused by the server, and nothing changes', async () => {
  test.setTimeout(180_000);
  const forms = await readForms();
  const origin = new URL(test.info().project.use.baseURL!).origin;
  for (const actor of ACTORS) {
    const { context } = parties.get(actor)!;
    for (const kind of KINDS) {
      const id = idOf(actor, kind);
      if (id === undefined) continue;
      // Others' held comments are moderated from the queue; here only readers' actions are asked.
      const asked = kind === 'others held' ? CONTROLS.filter((c) => c !== 'feature' && c !== 'hide') : CONTROLS;
      for (const control of asked.filter((c) => !expected(actor, kind).includes(c))) {
        const form = forms[control];
        const before = snapshot();
        const response = await context.request.post(PAGE, {
          multipart: { ...form.fields, [form.target]: String(id) },
          headers: { origin },
          maxRedirects: 0,
        });
        const label = `${actor} posting “${control}” on a${kind === 'own' ? 'n' : ''} ${kind} comment`;
        // A refusal is the page again with its message (or a 4xx); success would redirect.
        expect(response.status(), label).toBeLessThan(300);
        expect(snapshot(), `${label}: nothing changed`).toEqual(before);
      }
    }
  }

  // The same forms, posted by someone they are drawn for, do change things: the refusals above
  // are the rules at work, not forms the server could not read.
  const allowedPosts: [Actor, Control, Kind][] = [
    ['reader', 'vote', 'others'],
    ['reader', 'report', 'others'],
    ['reader', 'reply', 'others'],
    ['reader', 'edit', 'own'],
    ['reader', 'delete', 'own held'],
    ['moderator', 'feature', 'others'],
    ['moderator', 'hide', 'others'],
  ];
  for (const [actor, control, kind] of allowedPosts) {
    const form = forms[control];
    const before = snapshot();
    const response = await parties.get(actor)!.context.request.post(PAGE, {
      multipart: { ...form.fields, [form.target]: String(idOf(actor, kind)) },
      headers: { origin },
      maxRedirects: 0,
    });
    expect(response.status(), `${actor} posting “${control}”`).toBe(303);
    expect(snapshot(), `${actor} posting “${control}” changes the discussion`).not.toEqual(before);
  }
});

test('a banned reader cannot rename themselves: no form, and a posted one is refused', async () => {
  const reader = parties.get('reader')!;
  const banned = parties.get('banned')!;
  const page = await reader.context.newPage();
  await page.goto('/profile');
  const fields = Object.fromEntries(
    await page.locator('form[aria-labelledby="profile-heading"]').evaluate((form) => [...new FormData(form as HTMLFormElement).entries()].map(([k, v]) => [k, String(v)])),
  );
  await page.close();

  await banned.page.goto('/profile');
  await expect(banned.page.getByText('You are banned from the discussion until a moderator lifts it. Reason: Matrix')).toBeVisible();
  await expect(banned.page.getByLabel('Display name')).toHaveCount(0);

  const nameOf = () => db((h) => h.prepare('select name from users where email = ?').pluck().get(banned.reader!.email));
  const before = nameOf();
  const response = await banned.context.request.post('/profile', {
    multipart: { ...fields, name: 'Evaded Ban' },
    headers: { origin: new URL(test.info().project.use.baseURL!).origin },
    maxRedirects: 0,
  });
  expect(response.status()).toBeLessThan(500);
  expect(nameOf()).toBe(before);
});
