import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { ARTICLE_SLUG, apiPostComment, expect, mailTo, newReader, setMailServerRunning, signUpAs, test, waitForMailTo } from './fixtures';
import { startMailCatcher } from './mail-catcher';
import { startNext } from './own-servers';

/*
 * The outbox against the failures that lose or double mail: the server killed mid-delivery,
 * and no SMTP server at all. Each test runs servers of its own on one database, and queues mail
 * with the operator's command (`npm run admin -- mail-test`), which writes to that database as
 * any event does; the running server's sender delivers it.
 */

test.describe.configure({ mode: 'serial' });

function queueTestMail(databasePath: string, to: string): string {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--conditions=react-server', 'scripts/admin.ts', 'mail-test', to], {
    env: { ...process.env, DATABASE_PATH: databasePath },
    encoding: 'utf8',
  });
  return /Message-ID (<[^>]+>)/.exec(out)![1]!;
}

function grantAdmin(databasePath: string, email: string): void {
  execFileSync(process.execPath, ['--import', 'tsx', '--conditions=react-server', 'scripts/admin.ts', 'grant', email, 'admin'], {
    env: { ...process.env, DATABASE_PATH: databasePath },
  });
}

const messageIdOf = (raw: string) => /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1];

test('killed with -9 while a message is being delivered: after a restart every message arrives once', async () => {
  test.setTimeout(120_000);
  const catcher = await startMailCatcher();
  const dir = fs.mkdtempSync(path.resolve('.test-data', 'mail-kill-'));
  const database = path.join(dir, 'blog.db');
  const env = { DATABASE_PATH: database, SMTP_URL: catcher.url, MAIL_FROM: 'Blog <blog@example.test>' };
  const first = await startNext(env);
  let second: Awaited<ReturnType<typeof startNext>> | undefined;
  try {
    const held = catcher.holdNext();
    const queued = ['first', 'second', 'third'].map((name) => queueTestMail(database, `${name}@example.test`));
    // The sender has the first message on the wire, unanswered: kill the server there.
    const heldId = messageIdOf(await held.arrived);
    expect(queued).toContain(heldId);
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;
    await held.senderGone;
    held.release();
    expect(catcher.messages(), 'nothing was acknowledged before the kill').toHaveLength(0);

    second = await startNext(env);
    for (const id of queued) await catcher.waitForMail((mail) => mail.messageId === id, { timeoutMs: 30_000 });
    // Time for any second copy to show up: the sender runs every 5 seconds.
    const firstCopies = new Set(catcher.messages().map((mail) => mail.id));
    await catcher.expectNoMail((mail) => !firstCopies.has(mail.id), 8_000);
    const ids = catcher.messages().map((mail) => mail.messageId);
    expect(ids.sort()).toEqual([...queued].sort());
  } finally {
    await second?.stop();
    await first.stop().catch(() => {});
    await catcher.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('without SMTP_URL each message is written to data/mail as an .eml file, and the log says so once', async () => {
  const dir = fs.mkdtempSync(path.resolve('.test-data', 'mail-files-'));
  const database = path.join(dir, 'blog.db');
  const next = await startNext({ DATABASE_PATH: database });
  try {
    const notices = next.log().split('\n').filter((line) => /SMTP_URL is unset/.test(line));
    expect(notices, next.log()).toHaveLength(1);
    expect(notices[0]).toContain(path.join(dir, 'mail'));

    const messageId = queueTestMail(database, 'reader@example.test');
    const folder = path.join(dir, 'mail');
    await expect.poll(() => (fs.existsSync(folder) ? fs.readdirSync(folder).filter((f) => f.endsWith('.eml')) : []), { timeout: 20_000 }).toHaveLength(1);
    const [file] = fs.readdirSync(folder);
    const mail = await simpleParser(fs.readFileSync(path.join(folder, file!)));
    expect(mail.messageId).toBe(messageId);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('reader@example.test');
    expect(mail.subject).toMatch(/^Test message from /);
    expect(mail.text).toContain('the site\'s mail settings work');
    expect(mail.html).toContain('mail settings work');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
  } finally {
    await next.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('with SMTP down a reply is stored at once; when SMTP is back its notification arrives exactly once', async ({ browser, page }) => {
  test.setTimeout(180_000);
  const author = await signUpAs(page, newReader('Waiting Author'));
  const { id: parentId } = await apiPostComment(page, 'Will anyone answer while the mail server is down?');
  const replier = await browser.newContext();
  try {
    const replierPage = await replier.newPage();
    await signUpAs(replierPage, newReader('Outage Replier'));
    await setMailServerRunning(false);
    try {
      const response = await replierPage.request.post(`/api/articles/${ARTICLE_SLUG}/comments`, {
        data: { body: 'Answering during the outage.', parentId },
      });
      expect(response.status(), 'the reply is stored while SMTP is down').toBe(201);
      const { comment } = await response.json();
      await replierPage.goto(`/articles/${ARTICLE_SLUG}?comment=${comment.id}#comment-${comment.id}`);
      await expect(replierPage.locator(`#comment-${comment.id}`)).toContainText('Answering during the outage.');
      // Past the notification's gathering delay and its first delivery attempt, which fails.
      await replierPage.waitForTimeout(10_000);
    } finally {
      await setMailServerRunning(true);
    }
    // The retry comes 30 seconds after the failed attempt.
    const mail = await waitForMailTo(author.email, (m) => m.text.includes('Answering during the outage.'), 90_000);
    await expect.poll(async () => (await mailTo(author.email)).filter((m) => m.text.includes('Answering during the outage.')).length, { timeout: 10_000, intervals: [2_000] }).toBe(1);
    expect(mail.headers['list-unsubscribe']).toMatch(/^<https?:\/\/[^>]+\/api\/unsubscribe\?token=[^>]+>$/);
  } finally {
    await replier.close();
  }
});

test('failed mail is listed for admins only, and Send again delivers it once SMTP is back', async ({ browser }) => {
  test.setTimeout(150_000);
  const dir = fs.mkdtempSync(path.resolve('.test-data', 'mail-failed-'));
  const database = path.join(dir, 'blog.db');
  const smtpUrl = `smtp://127.0.0.1:${Number(process.env.E2E_MAIL_PORT ?? 3102)}`;
  const next = await startNext({ DATABASE_PATH: database, SMTP_URL: smtpUrl, MAIL_FROM: 'Blog <blog@example.test>', MAIL_MAX_ATTEMPTS: '1' });
  const context = await browser.newContext({ baseURL: next.origin });
  try {
    const page = await context.newPage();
    const admin = await signUpAs(page, newReader('Mail Admin'));
    await page.goto('/moderation/mail');
    await expect(page.getByRole('main')).toContainText('Only admins can do that.');
    grantAdmin(database, admin.email);

    const to = `bounced-${Date.now()}@example.test`;
    let messageId = '';
    await setMailServerRunning(false);
    try {
      messageId = queueTestMail(database, to);
      await expect
        .poll(
          async () => {
            await page.goto('/moderation/mail');
            return (await page.locator('main').textContent()) ?? '';
          },
          { timeout: 30_000, intervals: [1_000] },
        )
        .toContain(to);
    } finally {
      await setMailServerRunning(true);
    }
    const row = page.getByRole('row').filter({ hasText: to });
    await expect(row).toContainText('Test message from');
    await expect(row.getByRole('cell').nth(3)).toHaveText('1');
    await expect(row.getByRole('cell').nth(4)).not.toBeEmpty();

    await row.getByRole('button', { name: 'Send again' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Queued' })).toBeVisible();
    const mail = await waitForMailTo(to, (m) => m.messageId === messageId, 30_000);
    expect(mail.subject).toMatch(/^Test message from /);
    await page.goto('/moderation/mail');
    await expect(page.getByRole('region', { name: 'Failed messages' })).toHaveCount(0);
    await expect(page.getByText('No failed mail.')).toBeVisible();
  } finally {
    await context.close();
    await next.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
