import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { expect, test } from './fixtures';
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
