import Database from 'better-sqlite3';
import type { Browser, Page } from '@playwright/test';
import { ARTICLE_PATH, E2E_DB_PATH, apiPostComment, commentByText, expect, expectNoAxeViolations, grantRole, mailTo, newReader, signUpAs, test, waitForMailTo, type Reader } from './fixtures';

/*
 * Reply notifications end to end: the e2e server mails the SMTP catcher, NOTIFY_DELAY_SECONDS
 * is a few seconds (playwright.config.ts) and the notify job ticks every 5 s, so a notification
 * arrives within about ten seconds. "No mail" is shown against a mail that does arrive: what
 * must not be mailed is written first, then something that must be, and the one message that
 * comes lists only the latter.
 */

const MAIL_WAIT_MS = 30_000;
const unique = (text: string) => `${text} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

type Someone = { page: Page; reader: Reader; close: () => Promise<void> };

/** A reader signed up (and so verified, by the mailed link) in a browser of their own. */
async function someone(browser: Browser, name: string, options: { javaScriptEnabled?: boolean } = {}): Promise<Someone> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true });
  const page = await context.newPage();
  const reader = await signUpAs(page, newReader(name));
  return { page, reader, close: () => context.close() };
}

/** The notifications `address` received: the mail that carries List-Unsubscribe (not sign-up's link). */
const notificationsTo = async (address: string) => (await mailTo(address)).filter((mail) => mail.headers['list-unsubscribe']);

const reply = (who: Someone, text: string, parentId: number) => apiPostComment(who.page, text, { parentId });
const has = (text: string) => (mail: { text: string }) => mail.text.includes(text);

/** The link in a mail's text that follows `label: `. */
function linkAfter(text: string, label: string): string {
  const match = new RegExp(`${label}: (\\S+)`).exec(text);
  if (!match) throw new Error(`no "${label}" link in:\n${text}`);
  return match[1]!;
}

function userState(email: string): { mutes: number; notifyReplies: number } {
  const db = new Database(E2E_DB_PATH, { readonly: true });
  try {
    return db
      .prepare('select (select count(*) from thread_mutes m where m.user_id = u.id) as mutes, notify_replies as notifyReplies from users u where email = ?')
      .get(email.toLowerCase()) as { mutes: number; notifyReplies: number };
  } finally {
    db.close();
  }
}

test.describe('reply notifications', () => {
  test.describe.configure({ timeout: 90_000 });

  test('a reply mails the parent’s author, with a permalink that opens at the reply', async ({ browser, page }) => {
    const ana = await signUpAs(page, newReader('Ana Author'));
    const top = await apiPostComment(page, unique('Which phone should I buy?'));
    const ben = await someone(browser, 'Ben Replier');
    const text = unique('Buy the one with the best battery');
    const answer = await reply(ben, text, top.id);
    await ben.close();

    const mail = await waitForMailTo(ana.email, has(text), MAIL_WAIT_MS);
    expect(mail.subject).toContain('Ben Replier replied to you');
    expect(mail.headers['list-unsubscribe']).toMatch(/^<https?:\/\/[^/]+\/api\/unsubscribe\?token=[\w.-]+>$/);
    expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(mail.text).toMatch(/https?:\/\/[^/]+\/profile#notifications/);
    expect(mail.html).toContain(`?comment=${answer.id}#comment-${answer.id}`);

    const permalink = linkAfter(mail.text, 'Read it and reply');
    expect(permalink).toMatch(new RegExp(`/articles/[^?]+\\?comment=${answer.id}#comment-${answer.id}$`));
    await page.goto(permalink);
    const landed = page.locator(`#comment-${answer.id}`);
    await expect(landed).toContainText(text);
    await expect(landed).toBeInViewport();
    expect(await notificationsTo(ana.email)).toHaveLength(1);

    // The page the unsubscribe link opens: signed out, accessible, at a phone's width, by keyboard.
    const visitor = await browser.newContext({ viewport: { width: 320, height: 700 } });
    const unsubscribe = await visitor.newPage();
    await unsubscribe.goto(linkAfter(mail.text, 'Unsubscribe from this thread'));
    await expect(unsubscribe.getByRole('heading', { level: 1, name: 'Unsubscribe' })).toBeVisible();
    await expectNoAxeViolations(unsubscribe);
    expect(await unsubscribe.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    const stop = unsubscribe.getByRole('button', { name: 'Stop emails about replies in this thread' });
    for (let i = 0; i < 20 && !(await stop.evaluate((el) => el === document.activeElement)); i += 1) await unsubscribe.keyboard.press('Tab');
    await expect(stop).toBeFocused();
    await unsubscribe.goto('/unsubscribe?token=not-a-token');
    await expect(unsubscribe.getByRole('heading', { level: 1 })).toHaveText('This unsubscribe link does not work');
    await expectNoAxeViolations(unsubscribe);
    await visitor.close();
  });

  test('no mail for a self-reply or a deleted reply; a held reply only once approved', async ({ browser, page }) => {
    const ana = await signUpAs(page, newReader('Ana Asker'));
    const first = await apiPostComment(page, unique('First thread'));
    const second = await apiPostComment(page, unique('Second thread'));
    const selfText = unique('Answering myself');
    await apiPostComment(page, selfText, { parentId: first.id });

    const ben = await someone(browser, 'Ben Replier');
    const deletedText = unique('A reply I take back');
    const deleted = await reply(ben, deletedText, first.id);
    await ben.page.goto(`${ARTICLE_PATH}?comment=${deleted.id}`);
    const mine = commentByText(ben.page, deletedText);
    await mine.getByText('Delete', { exact: true }).click();
    await mine.getByRole('button', { name: 'Yes, delete it' }).click();
    await expect(ben.page.getByText('Your comment was deleted.')).toBeVisible();
    const heldText = unique('Try casino-bonus now');
    await reply(ben, heldText, second.id);
    const keptText = unique('A reply that counts');
    await reply(ben, keptText, first.id);

    const mail = await waitForMailTo(ana.email, has(keptText), MAIL_WAIT_MS);
    expect(mail.text).not.toContain(selfText);
    expect(mail.text).not.toContain(deletedText);
    expect(mail.subject).toContain('replied to you');
    expect((await notificationsTo(ana.email)).filter(has(heldText))).toHaveLength(0);

    const moderator = await someone(browser, 'Mo Derator');
    grantRole(moderator.reader, 'moderator');
    await moderator.page.goto('/moderation');
    const entry = moderator.page.locator('.queue__item').filter({ hasText: heldText });
    await entry.getByRole('button', { name: 'Approve' }).click();
    await expect(entry).toHaveCount(0);
    await waitForMailTo(ana.email, has(heldText), MAIL_WAIT_MS);
    expect(await notificationsTo(ana.email)).toHaveLength(2);
    await moderator.close();
    await ben.close();
  });

  test('a burst of five replies becomes one mail that lists them', async ({ browser, page }) => {
    const ana = await signUpAs(page, newReader('Ana Busy'));
    const top = await apiPostComment(page, unique('Tell me everything'));
    const ben = await someone(browser, 'Ben Chatty');
    const texts = Array.from({ length: 5 }, (_, i) => unique(`Burst reply ${i + 1}`));
    for (const text of texts) await reply(ben, text, top.id);
    await ben.close();
    const mail = await waitForMailTo(ana.email, (m) => texts.every((text) => m.text.includes(text)), MAIL_WAIT_MS);
    expect(mail.subject).toContain('5 new replies');
    expect(await notificationsTo(ana.email)).toHaveLength(1);
  });

  test('unsubscribe from a thread by the link with JavaScript off: no more mail about it', async ({ browser, page }) => {
    const ana = await signUpAs(page, newReader('Ana Leaving'));
    const muted = await apiPostComment(page, unique('A thread I will leave'));
    const other = await apiPostComment(page, unique('A thread I keep'));
    const ben = await someone(browser, 'Ben Replier');
    const firstText = unique('First answer');
    await reply(ben, firstText, muted.id);
    const mail = await waitForMailTo(ana.email, has(firstText), MAIL_WAIT_MS);

    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const link = await noScript.newPage();
    await link.goto(linkAfter(mail.text, 'Unsubscribe from this thread'));
    await expect(link.getByRole('heading', { level: 1, name: 'Unsubscribe' })).toBeVisible();
    await link.getByRole('button', { name: 'Stop emails about replies in this thread' }).click();
    await expect(link.getByRole('status')).toHaveText('Done: no more emails about replies in this thread.');
    await noScript.close();

    const silenced = unique('Nobody hears this');
    const heard = unique('This one is heard');
    await reply(ben, silenced, muted.id);
    await reply(ben, heard, other.id);
    await waitForMailTo(ana.email, has(heard), MAIL_WAIT_MS);
    expect((await notificationsTo(ana.email)).filter(has(silenced))).toHaveLength(0);
    await ben.close();
  });

  test('unsubscribe by an RFC 8058 one-click POST, without cookies: no more mail about that thread', async ({ browser, page, playwright }) => {
    const ana = await signUpAs(page, newReader('Ana OneClick'));
    const muted = await apiPostComment(page, unique('One-click thread'));
    const other = await apiPostComment(page, unique('Still wanted'));
    const ben = await someone(browser, 'Ben Replier');
    const firstText = unique('First answer');
    await reply(ben, firstText, muted.id);
    const mail = await waitForMailTo(ana.email, has(firstText), MAIL_WAIT_MS);

    const address = /^<(.+)>$/.exec(mail.headers['list-unsubscribe']!)![1]!;
    const mailProgram = await playwright.request.newContext();
    const response = await mailProgram.post(address, { form: { 'List-Unsubscribe': 'One-Click' } });
    expect(response.status()).toBe(200);
    await mailProgram.dispose();

    const silenced = unique('Nobody hears this');
    const heard = unique('This one is heard');
    await reply(ben, silenced, muted.id);
    await reply(ben, heard, other.id);
    await waitForMailTo(ana.email, has(heard), MAIL_WAIT_MS);
    expect((await notificationsTo(ana.email)).filter(has(silenced))).toHaveLength(0);
    await ben.close();
  });

  test('a forged unsubscribe token is refused, and nothing changes', async ({ browser, page, playwright }) => {
    const ana = await signUpAs(page, newReader('Ana Forged'));
    const top = await apiPostComment(page, unique('A thread'));
    const ben = await someone(browser, 'Ben Replier');
    const text = unique('An answer');
    await reply(ben, text, top.id);
    await ben.close();
    const mail = await waitForMailTo(ana.email, has(text), MAIL_WAIT_MS);
    const real = linkAfter(mail.text, 'Unsubscribe from this thread');
    const token = new URL(real).searchParams.get('token')!;
    const [payload, mac] = token.split('.');
    // Another reader's id under this link's signature, and a signature changed by one character.
    const moved = `${Buffer.from(JSON.stringify(['someone-else', 'thread:1'])).toString('base64url')}.${mac}`;
    const altered = `${payload}.${mac!.slice(0, -1)}${mac!.endsWith('A') ? 'B' : 'A'}`;
    const before = userState(ana.email);

    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const link = await noScript.newPage();
    for (const forged of [moved, altered]) {
      const response = await link.goto(`/unsubscribe?token=${encodeURIComponent(forged)}`);
      expect(response?.status()).toBe(200);
      await expect(link.getByRole('heading', { level: 1 })).toHaveText('This unsubscribe link does not work');
      await expect(link.getByRole('alert')).toContainText('Nothing was changed');
      await expect(link.getByRole('button', { name: /Stop/ })).toHaveCount(0);
    }
    await noScript.close();
    const mailProgram = await playwright.request.newContext();
    const refused = await mailProgram.post(`${new URL(real).origin}/api/unsubscribe?token=${encodeURIComponent(altered)}`, { form: { 'List-Unsubscribe': 'One-Click' } });
    expect(refused.status()).toBe(400);
    expect((await refused.json()).error.code).toBe('invalid:unsubscribe_link');
    await mailProgram.dispose();
    expect(userState(ana.email)).toEqual(before);
    expect(before).toEqual({ mutes: 0, notifyReplies: 1 });
  });

  test('“Email me about new comments” shows its state, works without JavaScript, and mails new comments', async ({ browser, page }) => {
    const sam = await signUpAs(page, newReader('Sam Subscriber'));
    await page.goto(ARTICLE_PATH);
    await page.getByRole('button', { name: 'Email me about new comments' }).click();
    await expect(page.getByText('You get an email about new comments here.')).toBeVisible();
    await page.reload();
    await expect(page.getByText('You get an email about new comments here.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Stop emails about new comments' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Email me about new comments' })).toBeHidden();

    const ben = await someone(browser, 'Ben Poster');
    const text = unique('A brand new thread');
    await apiPostComment(ben.page, text);
    await ben.close();
    const mail = await waitForMailTo(sam.email, has(text), MAIL_WAIT_MS);
    expect(mail.subject).toMatch(/^New comment on “/);
    expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');

    // Without JavaScript: the same form, and the page drawn again in the new state.
    const noScript = await browser.newContext({ javaScriptEnabled: false, storageState: await page.context().storageState() });
    const plain = await noScript.newPage();
    await plain.goto(ARTICLE_PATH);
    await plain.getByRole('button', { name: 'Stop emails about new comments' }).click();
    await expect(plain.getByRole('button', { name: 'Email me about new comments' })).toBeVisible();
    await expect(plain.getByText('You get an email about new comments here.')).toBeHidden();
    await noScript.close();

    await page.goto('/profile');
    await expect(page.getByRole('heading', { name: 'Notifications' })).toBeVisible();
    await expect(page.getByText('You follow no discussions.')).toBeVisible();
  });

  test('the profile lists followed discussions and switches reply mail, each with its result, accessible at 320 px', async ({ page }) => {
    await signUpAs(page, newReader('Pat Profile'));
    await page.setViewportSize({ width: 320, height: 800 });
    await page.goto(ARTICLE_PATH);
    await page.getByRole('button', { name: 'Email me about new comments' }).click();
    await expect(page.getByText('You get an email about new comments here.')).toBeVisible();
    await page.goto('/profile#notifications');
    const section = page.getByRole('region', { name: 'Notifications' });
    await expect(section.getByRole('checkbox', { name: /Email me about replies/ })).toBeChecked();
    await expectNoAxeViolations(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);

    await section.getByRole('checkbox', { name: /Email me about replies/ }).uncheck();
    await section.getByRole('button', { name: 'Save reply emails' }).click();
    await expect(section.getByRole('status').first()).toHaveText('Saved: no emails about replies.');
    await page.reload();
    await expect(section.getByRole('checkbox', { name: /Email me about replies/ })).not.toBeChecked();

    const follow = section.getByRole('button', { name: /^Unsubscribe from / });
    await expect(follow).toHaveCount(1);
    await follow.click();
    await expect(section.getByText(/^Unsubscribed from “/)).toBeVisible();
    await expect(section.getByText('You follow no discussions.')).toBeVisible();
  });

  test('signed out, the subscribe button is a sign-in link', async ({ page }) => {
    await page.goto(ARTICLE_PATH);
    await expect(page.getByRole('link', { name: 'Sign in to get an email about new comments' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Email me about new comments' })).toBeHidden();
  });

  test('moderators get a digest of comments held for review', async ({ browser }) => {
    // Held first: a new moderator's first digest lists what already waits, and the next comes
    // only NOTIFY_BATCH_MINUTES later.
    const ben = await someone(browser, 'Ben Spammy');
    const heldText = unique('Win big with casino-bonus');
    await apiPostComment(ben.page, heldText);
    await ben.close();
    const moderator = await someone(browser, 'Mo Digest');
    grantRole(moderator.reader, 'moderator');
    const digest = await waitForMailTo(moderator.reader.email, has(heldText), MAIL_WAIT_MS);
    expect(digest.subject).toMatch(/waits? for a moderator/);
    expect(digest.text).toMatch(/https?:\/\/[^/]+\/moderation/);
    expect(digest.headers['list-unsubscribe']).toBeTruthy();
    expect(await notificationsTo(moderator.reader.email)).toHaveLength(1);
    await moderator.close();
  });
});
