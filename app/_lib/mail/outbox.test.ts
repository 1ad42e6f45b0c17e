import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, beforeEach, describe, it, mock } from 'node:test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { closeDb, getDb, openDatabase } from '@/db/index';
import { claimDue, listFailedMail, mailByMessageId } from '@/db/queries/mail';
import { createTemporaryDatabase } from '@/db/test-db';
import { site } from '../content/site';
import { defaultJobs, startJobRunner, stopJobRunner } from '../ops/jobs';
import { logger } from '../ops/logger';
import { metrics } from '../ops/metrics';
import { SENDING_TIMEOUT_MS, mailRetryDelayMs, sendDueMail } from './outbox';
import { queueMail, type QueuedMail } from './queue';
import { createMailTransport, emlFileName, logMailTransport, mailFolder, mailTransport, type MailTransport } from './transport';

const temp = createTemporaryDatabase();
delete process.env.SMTP_URL;
delete process.env.MAIL_FROM;
after(() => {
  closeDb();
  temp.cleanup();
});

type Received = { from: string; to: string[]; user: string | null; raw: string; parsed: ParsedMail };

/** A real SMTP server on a loopback port (a free one unless given), keeping what it accepts, parsed. */
async function startSmtp(port = 0) {
  const received: Received[] = [];
  const server = new SMTPServer({
    logger: false,
    // Plain SMTP on loopback: nodemailer would otherwise upgrade to TLS and refuse a test certificate.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === 'blog' && auth.password === 'p@ss:word') callback(null, { user: auth.username });
      else callback(new Error('wrong password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then((parsed) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            user: (session.user as string | undefined) ?? null,
            raw,
            parsed,
          });
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.server.address() as AddressInfo).port;
  return {
    port: bound,
    received,
    url: `smtp://blog:${encodeURIComponent('p@ss:word')}@127.0.0.1:${bound}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port nothing listens on: a connection to it is refused, like a server that is down. */
async function deadPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

let serial = 0;
function mail(overrides: Partial<QueuedMail> = {}): QueuedMail {
  serial += 1;
  return {
    kind: 'test',
    to: `reader${serial}@example.test`,
    subject: `Reply number ${serial}`,
    greeting: 'Hello,',
    paragraphs: ['Someone replied to your comment.'],
    action: { label: 'Read the reply', url: `${site.url}/articles/a#comment-${serial}` },
    ...overrides,
  };
}

/** Queues messages in one transaction, as an event would. */
function queue(...messages: QueuedMail[]) {
  const db = getDb();
  return db.transaction((tx) => messages.map((message) => queueMail(tx, message)));
}

function row(messageId: string) {
  const found = mailByMessageId(messageId);
  assert.ok(found, messageId);
  return found;
}

async function counted(counter: 'mailSent' | 'mailFailed'): Promise<number> {
  const { values } = await metrics()[counter].get();
  return values.find((value) => value.labels.kind === 'test')?.value ?? 0;
}

let logged: { warn: string[]; error: string[]; info: string[] };
beforeEach(() => {
  getDb().$client.exec('delete from mail_outbox');
  logged = { warn: [], error: [], info: [] };
  for (const level of ['info', 'warn', 'error'] as const) {
    mock.method(logger(), level, (...args: unknown[]) => {
      logged[level].push(String(args.find((arg) => typeof arg === 'string') ?? ''));
    });
  }
});
afterEach(async () => {
  await stopJobRunner();
  mock.restoreAll();
});

const MAX = 8;

describe('the outbox sender, against a real SMTP server', () => {
  it('sends nothing for an event whose transaction rolled back', async () => {
    const smtp = await startSmtp();
    try {
      assert.throws(() =>
        getDb().transaction((tx) => {
          queueMail(tx, mail());
          throw new Error('the post failed');
        }),
      );
      const summary = await sendDueMail({ db: getDb(), transport: createMailTransport(smtp.url), maxAttempts: MAX });
      assert.deepEqual(summary, { sent: 0, retried: 0, failed: 0, recovered: 0 });
      assert.equal(smtp.received.length, 0);
    } finally {
      await smtp.close();
    }
  });

  it('keeps mail queued while SMTP is down, retrying later, and delivers it exactly once when it is back', async () => {
    const port = await deadPort();
    const transport = createMailTransport(`smtp://127.0.0.1:${port}`);
    const [first, second] = queue(mail(), mail());
    let clock = Date.now();
    const now = () => clock;

    // Posting did not wait on SMTP: the rows are simply queued.
    assert.equal(row(first!.messageId).status, 'queued');
    let summary = await sendDueMail({ db: getDb(), transport, maxAttempts: MAX, now });
    assert.deepEqual(summary, { sent: 0, retried: 1, failed: 0, recovered: 0 }, 'the pass stops at a server that does not answer');
    let a = row(first!.messageId);
    assert.equal(a.status, 'queued');
    assert.equal(a.attempts, 1);
    assert.equal(a.nextAttemptAt.getTime(), clock + mailRetryDelayMs(1));
    assert.match(a.lastError ?? '', /ECONNREFUSED|connect/i);
    assert.equal(row(second!.messageId).attempts, 0, 'the next message was not tried against a dead server');
    assert.match(logged.warn.join('\n'), /not delivered \(attempt 1 of 8, next in 30 s\)/);

    // Still down a little later: the second message gets its own try, the first is not due yet.
    clock += 10_000;
    summary = await sendDueMail({ db: getDb(), transport, maxAttempts: MAX, now });
    assert.deepEqual(summary, { sent: 0, retried: 1, failed: 0, recovered: 0 });
    assert.equal(row(first!.messageId).attempts, 1);
    assert.equal(row(second!.messageId).attempts, 1);

    // The server comes back on the same address; once the retries are due, each message arrives once.
    const smtp = await startSmtp(port);
    try {
      clock += mailRetryDelayMs(1);
      const before = await counted('mailSent');
      summary = await sendDueMail({ db: getDb(), transport, maxAttempts: MAX, now });
      assert.deepEqual(summary, { sent: 2, retried: 0, failed: 0, recovered: 0 });
      clock += 3_600_000;
      assert.deepEqual(await sendDueMail({ db: getDb(), transport, maxAttempts: MAX, now }), { sent: 0, retried: 0, failed: 0, recovered: 0 });
      assert.deepEqual(smtp.received.map((m) => m.parsed.messageId).sort(), [first!.messageId, second!.messageId].sort(), 'each exactly once');
      a = row(first!.messageId);
      assert.deepEqual([a.status, a.attempts, a.lastError, a.sentAt?.getTime()], ['sent', 2, null, clock - 3_600_000]);
      assert.equal((await counted('mailSent')) - before, 2);
    } finally {
      await smtp.close();
    }
  });

  it('delivers a text and an HTML part, everything escaped, with Message-ID, Date, Auto-Submitted and extra headers', async () => {
    const smtp = await startSmtp();
    try {
      const [queued] = queue(
        mail({
          to: 'ana@example.test',
          subject: 'Reply from <script>alert(1)</script>',
          greeting: 'Hello Ana,',
          paragraphs: ['<script>alert("x")</script> replied to your comment.'],
          quote: { text: 'Ship it & see </p><img src=x onerror=alert(1)>', author: '<script>alert("x")</script>' },
          headers: { 'List-Unsubscribe': `<${site.url}/unsubscribe/abc>` },
        }),
      );
      const summary = await sendDueMail({ db: getDb(), transport: createMailTransport(smtp.url), maxAttempts: MAX });
      assert.equal(summary.sent, 1);
      assert.equal(smtp.received.length, 1);
      const [{ parsed, from, to, user, raw }] = smtp.received as [Received];
      assert.equal(user, 'blog', 'the credentials of SMTP_URL were used');
      assert.deepEqual([from, to], [`no-reply@${new URL(site.url).hostname}`, ['ana@example.test']]);
      assert.equal(parsed.from?.text, `"${site.name}" <no-reply@${new URL(site.url).hostname}>`);
      assert.equal(parsed.subject, 'Reply from <script>alert(1)</script>');
      assert.equal(parsed.messageId, queued!.messageId);
      assert.match(parsed.messageId ?? '', new RegExp(`@${new URL(site.url).hostname}>$`), 'on the site host');
      assert.equal(parsed.date?.getTime(), Math.floor(queued!.createdAt.getTime() / 1000) * 1000, 'dated when the event happened');
      assert.equal(parsed.headers.get('auto-submitted'), 'auto-generated');
      assert.match(raw, /^List-Unsubscribe: <http:\/\/[^>]+\/unsubscribe\/abc>\r?$/m);

      // The text part says it in plain text; the HTML part shows the same characters as text.
      assert.ok(parsed.text?.includes('<script>alert("x")</script> replied to your comment.'), parsed.text);
      assert.ok(parsed.text?.includes(site.name));
      assert.ok(parsed.text?.includes(`${site.url}/articles/a#comment-`), 'the permalink');
      const html = String(parsed.html);
      assert.ok(!/<script|<img/i.test(html), html);
      assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; replied to your comment.'));
      assert.ok(html.includes('Ship it &amp; see &lt;/p&gt;&lt;img src=x onerror=alert(1)&gt;'));
      assert.ok(html.includes(site.name));
    } finally {
      await smtp.close();
    }
  });

  it('gives a message up after MAIL_MAX_ATTEMPTS, logs it, lists it for admins and counts it', async () => {
    const transport = createMailTransport(`smtp://127.0.0.1:${await deadPort()}`);
    const [queued] = queue(mail());
    let clock = Date.now();
    const before = await counted('mailFailed');
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await sendDueMail({ db: getDb(), transport, maxAttempts: 3, now: () => clock });
      const current = row(queued!.messageId);
      if (current.status === 'queued') {
        waits.push(current.nextAttemptAt.getTime() - clock);
        clock = current.nextAttemptAt.getTime();
      }
    }
    assert.deepEqual(waits, [30_000, 60_000], 'the wait doubles');
    const failed = row(queued!.messageId);
    assert.deepEqual([failed.status, failed.attempts], ['failed', 3]);
    assert.deepEqual(
      listFailedMail().map((m) => m.messageId),
      [queued!.messageId],
    );
    assert.equal((await counted('mailFailed')) - before, 1);
    assert.match(logged.error.join('\n'), /failed on its last attempt \(3\) and is given up/);
    clock += 24 * 3_600_000;
    assert.deepEqual(await sendDueMail({ db: getDb(), transport, maxAttempts: 3, now: () => clock }), { sent: 0, retried: 0, failed: 0, recovered: 0 }, 'never tried again');
    assert.deepEqual([mailRetryDelayMs(7), mailRetryDelayMs(8), mailRetryDelayMs(20)], [1_920_000, 3_600_000, 3_600_000], 'at most an hour');
  });

  it('sends a message left in sending by a sender elsewhere once its claim timed out, with the same Message-ID', async () => {
    const smtp = await startSmtp();
    try {
      const [queued] = queue(mail());
      const t0 = Date.now();
      assert.equal(claimDue(t0, 'another-host:4242:dead', 1)[0]?.id, queued!.id, 'claimed by a sender that then died');
      const transport = createMailTransport(smtp.url);
      let summary = await sendDueMail({ db: getDb(), transport, maxAttempts: MAX, now: () => t0 + SENDING_TIMEOUT_MS - 1 });
      assert.deepEqual(summary, { sent: 0, retried: 0, failed: 0, recovered: 0 }, 'a claim may be a slow delivery until it times out');
      summary = await sendDueMail({ db: getDb(), transport, maxAttempts: MAX, now: () => t0 + SENDING_TIMEOUT_MS });
      assert.deepEqual(summary, { sent: 1, retried: 0, failed: 0, recovered: 1 });
      assert.deepEqual(
        smtp.received.map((m) => m.parsed.messageId),
        [queued!.messageId],
      );
      assert.deepEqual([row(queued!.messageId).status, row(queued!.messageId).attempts], ['sent', 2]);
      assert.match(logged.warn.join('\n'), /interrupted while sending; it is sent again with the same Message-ID/);
    } finally {
      await smtp.close();
    }
  });

  it('after a kill -9 and a restart on this host, sends the interrupted messages at once', async () => {
    const smtp = await startSmtp();
    try {
      const [killed, previousLife, running] = queue(mail(), mail(), mail());
      const t0 = Date.now();
      // A process that has exited, and this very pid in an earlier life (a container restarts as pid 1).
      const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
      claimDue(t0, `${os.hostname()}:${deadPid}:0badf00d`, 1);
      claimDue(t0, `${os.hostname()}:${process.pid}:0badf00d`, 1);
      // A sender that still runs on this host keeps its claim.
      claimDue(t0, `${os.hostname()}:${process.ppid}:1234abcd`, 1);
      const summary = await sendDueMail({ db: getDb(), transport: createMailTransport(smtp.url), maxAttempts: MAX, now: () => t0 + 1000 });
      assert.deepEqual(summary, { sent: 2, retried: 0, failed: 0, recovered: 2 });
      assert.deepEqual(smtp.received.map((m) => m.parsed.messageId).sort(), [killed!.messageId, previousLife!.messageId].sort());
      assert.equal(row(running!.messageId).status, 'sending');
    } finally {
      await smtp.close();
    }
  });

  it('never delivers a message twice when two senders on two connections work the same outbox', async () => {
    const smtp = await startSmtp();
    const other = openDatabase(temp.file);
    try {
      const queued = queue(...Array.from({ length: 20 }, () => mail()));
      const [a, b] = await Promise.all([
        sendDueMail({ db: getDb(), transport: createMailTransport(smtp.url), maxAttempts: MAX, owner: 'A' }),
        sendDueMail({ db: other, transport: createMailTransport(smtp.url), maxAttempts: MAX, owner: 'B' }),
      ]);
      assert.equal(a.sent + b.sent, 20, `A sent ${a.sent}, B sent ${b.sent}`);
      assert.deepEqual(smtp.received.map((m) => m.parsed.messageId).sort(), queued.map((m) => m.messageId).sort());
    } finally {
      other.$client.close();
      await smtp.close();
    }
  });
});

describe('without SMTP_URL', () => {
  it('writes each message as an .eml file in data/mail that a mail program can read, one file per message', async () => {
    const transport = mailTransport();
    assert.equal(transport.kind, 'file');
    assert.equal(mailFolder(), path.join(temp.folder, 'mail'));
    logMailTransport();
    assert.match(logged.info.join('\n'), /SMTP_URL is unset, so each message is written to .*mail as an \.eml file/);

    const [queued] = queue(mail({ subject: 'Reset your <password>', paragraphs: ['Use the link below & soon.'] }));
    assert.equal((await sendDueMail({ db: getDb(), transport, maxAttempts: MAX })).sent, 1);
    const file = path.join(temp.folder, 'mail', emlFileName(queued!.messageId));
    const parsed = await simpleParser(fs.readFileSync(file));
    assert.equal(parsed.subject, 'Reset your <password>');
    assert.equal(parsed.messageId, queued!.messageId);
    assert.equal(parsed.headers.get('auto-submitted'), 'auto-generated');
    assert.deepEqual(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((a) => a.address) : [], [queued!.toAddress]);
    assert.ok(parsed.text?.includes('Use the link below & soon.'));
    assert.ok(String(parsed.html).includes('Use the link below &amp; soon.'));

    // Sent again (a retry after a crash): the same file, not a second one.
    getDb().$client.prepare("update mail_outbox set status = 'queued', next_attempt_at = 0 where id = ?").run(queued!.id);
    assert.equal((await sendDueMail({ db: getDb(), transport, maxAttempts: MAX })).sent, 1);
    assert.deepEqual(
      fs.readdirSync(path.join(temp.folder, 'mail')).filter((name) => name.includes(emlFileName(queued!.messageId).slice(0, -4))),
      [emlFileName(queued!.messageId)],
    );
  });

  it('is sent by the job runner moments after the transaction commits, never inside it', async () => {
    startJobRunner({ jobs: defaultJobs({ BACKUP_INTERVAL_HOURS: 0, BACKUP_KEEP: 1 }), tickMs: 24 * 3_600_000 });
    const [queued] = queue(mail());
    assert.equal(row(queued!.messageId).status, 'queued', 'the request itself sent nothing');
    const file = path.join(mailFolder(), emlFileName(queued!.messageId));
    const deadline = Date.now() + 10_000;
    while (!fs.existsSync(file) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(fs.existsSync(file), 'woken, the sender wrote it without waiting for a tick');
    assert.equal(row(queued!.messageId).status, 'sent');
  });
});

describe('the SMTP transport', () => {
  it('names its server for the log without the credentials', () => {
    const transport: MailTransport = createMailTransport('smtps://blog:hunter2@mail.example:465');
    assert.deepEqual([transport.kind, transport.target], ['smtp', 'smtps://mail.example:465']);
    transport.close();
  });
});
