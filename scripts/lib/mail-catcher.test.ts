import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import nodemailer from 'nodemailer';
import { startMailCatcher, type Caught, type MailCatcher } from '../../e2e/mail-catcher';
import { freePort } from './next-process.mjs';

/** A message with both parts, headers of our own, a non-ASCII subject and a Bcc recipient. */
const message = {
  from: 'The Handset Ledger <news@localhost>',
  to: 'Ada Reader <ada@example.test>',
  bcc: 'hidden@example.test',
  subject: 'Réponse à votre commentaire — 23.16 M',
  text: 'Someone replied: https://localhost/articles/x#comment-7\n',
  html: '<p>Someone <strong>replied</strong>: <a href="https://localhost/articles/x#comment-7">read it</a></p>',
  headers: { 'X-Ledger-Kind': 'reply-notification', 'List-Unsubscribe': '<https://localhost/unsubscribe/abc>' },
};

const transport = (url: string) => nodemailer.createTransport(url);

/** Connects to the port: resolves when something listens, rejects with the error otherwise. */
function connect(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

/** A raw SMTP conversation, for what nodemailer would not do: leave in the middle of DATA. */
async function rawSmtp(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  let buffer = '';
  let waiting: (() => void) | null = null;
  socket.setEncoding('utf8');
  socket.on('error', () => {});
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    waiting?.();
  });
  // The final line of a reply is "NNN text" (continuation lines are "NNN-text").
  const reply = async (): Promise<string> => {
    for (;;) {
      const match = /^(\d{3}) .*\r\n/m.exec(buffer);
      if (match) {
        buffer = buffer.slice(match.index + match[0].length);
        return match[0].trim();
      }
      await new Promise<void>((resolve) => (waiting = resolve));
    }
  };
  await reply();
  return {
    reply,
    async command(line: string): Promise<string> {
      socket.write(`${line}\r\n`);
      return reply();
    },
    write: (data: string) => socket.write(data),
    destroy: () => socket.destroy(),
  };
}

describe('e2e/mail-catcher.ts (scripts/lib/mail-catcher.mjs)', () => {
  let catcher: MailCatcher;
  after(async () => catcher?.close());

  it('receives over real SMTP, with AUTH, and keeps the message parsed, with its envelope and source', async () => {
    catcher = await startMailCatcher();
    assert.equal(catcher.url, `smtp://127.0.0.1:${catcher.port}`);
    const url = `smtp://ledger:s3cret@127.0.0.1:${catcher.port}`;
    const info = await transport(url).sendMail(message);
    assert.match(info.response, /^250 /);

    const mail = await catcher.waitForMail((m) => m.subject.startsWith('Réponse'), { timeoutMs: 5_000 });
    assert.deepEqual(mail.from, { name: 'The Handset Ledger', address: 'news@localhost' });
    assert.deepEqual(mail.to, [{ name: 'Ada Reader', address: 'ada@example.test' }]);
    assert.equal(mail.subject, message.subject);
    assert.equal(mail.text.trim(), message.text.trim());
    assert.equal(mail.html, message.html);
    assert.equal(mail.messageId, info.messageId);
    assert.equal(mail.headers['x-ledger-kind'], 'reply-notification');
    assert.equal(mail.headers['list-unsubscribe'], '<https://localhost/unsubscribe/abc>');
    assert.equal(mail.headers.subject, message.subject);
    assert.match(mail.headers['content-type'] ?? '', /^multipart\/alternative/);
    // The Bcc recipient is only in the envelope, as a real server would see it.
    assert.deepEqual(mail.envelope, { mailFrom: 'news@localhost', rcptTo: ['ada@example.test', 'hidden@example.test'], user: 'ledger' });
    assert.equal(mail.headers.bcc, undefined);
    assert.match(mail.raw, /^X-Ledger-Kind: reply-notification\r$/m);
    assert.equal(mail.size, Buffer.byteLength(mail.raw));
    assert.equal(catcher.messages().length, 1);
  });

  it('keeps nothing it did not acknowledge: a message over the size limit (552), one cut off in DATA', async () => {
    const small = await startMailCatcher({ maxMessageBytes: 20_000 });
    try {
      await assert.rejects(transport(small.url).sendMail({ ...message, text: 'x'.repeat(50_000) }), (error: Error & { responseCode?: number }) => {
        assert.equal(error.responseCode, 552);
        return true;
      });

      const client = await rawSmtp(small.port);
      assert.match(await client.command('EHLO client.test'), /^250 /);
      assert.match(await client.command('MAIL FROM:<news@localhost>'), /^250 /);
      assert.match(await client.command('RCPT TO:<ada@example.test>'), /^250 /);
      assert.match(await client.command('DATA'), /^354 /);
      client.write('Subject: cut off\r\n\r\nhalf a message, and then the sender is gone\r\n');
      client.destroy();

      await transport(small.url).sendMail(message);
      await small.waitForMail(() => true, { timeoutMs: 5_000 });
      assert.deepEqual(small.messages().map((m) => m.subject), [message.subject]);
    } finally {
      // Nothing is left waiting on the message that was cut off: the stop is prompt.
      const started = performance.now();
      await small.close();
      assert.ok(performance.now() - started < 5_000);
    }
  });

  it('waitForMail and expectNoMail: by predicate, counting messages already caught', async () => {
    catcher.clear();
    const waiting = catcher.waitForMail((m) => m.to.some((a) => a.address === 'bob@example.test'), { timeoutMs: 5_000 });
    await transport(catcher.url).sendMail({ ...message, to: 'bob@example.test', bcc: undefined });
    const first = await waiting;
    await assert.rejects(catcher.expectNoMail((m) => m.envelope.rcptTo.includes('bob@example.test'), 200), /unexpected mail #/);
    // Exactly once: nothing else for Bob within the window.
    await catcher.expectNoMail((m) => m.envelope.rcptTo.includes('bob@example.test') && m.id !== first.id, 300);
    await assert.rejects(catcher.waitForMail((m) => m.subject === 'never sent', { timeoutMs: 200 }), /no matching mail within 200 ms \(caught: #\d+ to bob@example.test/);
    assert.equal(catcher.clear(), 1);
    assert.deepEqual(catcher.messages(), []);
  });

  it('stopSmtp refuses connections, even with a pooled connection open; startSmtp listens on the same port again', async () => {
    const { port } = catcher;
    const pooled = nodemailer.createTransport({ host: '127.0.0.1', port, pool: true, maxConnections: 1 });
    await pooled.sendMail(message);
    // The pool keeps its connection open; the stop closes it with 421 rather than waiting for it.
    const started = performance.now();
    await catcher.stopSmtp();
    assert.ok(performance.now() - started < 5_000, 'the stop waited for the idle pooled connection');
    assert.equal(catcher.listening, false);
    pooled.close();

    await assert.rejects(connect(port), (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED');
    await assert.rejects(transport(catcher.url).sendMail(message), /ECONNREFUSED/);
    await catcher.stopSmtp(); // already stopped: nothing to do

    await catcher.startSmtp();
    assert.equal(catcher.port, port);
    assert.equal(catcher.listening, true);
    catcher.clear();
    await transport(catcher.url).sendMail({ ...message, subject: 'after the restart' });
    const mail = await catcher.waitForMail((m) => m.subject === 'after the restart', { timeoutMs: 5_000 });
    assert.equal(mail.id, 4, 'ids keep counting across clear() and restarts');
  });
});

describe('scripts/mail-catcher-server.mjs', () => {
  it('serves what it catches over its HTTP control API, stops and starts SMTP on request, and stops on SIGINT', async () => {
    const smtpPort = await freePort('127.0.0.1');
    const httpPort = await freePort('127.0.0.1');
    const child = spawn(process.execPath, ['scripts/mail-catcher-server.mjs'], {
      env: { ...process.env, MAIL_CATCHER_SMTP_PORT: String(smtpPort), MAIL_CATCHER_HTTP_PORT: String(httpPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const api = async (method: string, route: string) => {
      const response = await fetch(`http://127.0.0.1:${httpPort}${route}`, { method });
      return { status: response.status, body: await response.json() };
    };
    try {
      // Up once /health answers (as Playwright waits for it).
      const deadline = Date.now() + 20_000;
      for (;;) {
        const health = await api('GET', '/health').catch(() => null);
        if (health) {
          assert.deepEqual(health, { status: 200, body: { ok: true, smtp: 'listening', smtpPort, messages: 0 } });
          break;
        }
        assert.ok(Date.now() < deadline, `the catcher did not start: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      const url = `smtp://127.0.0.1:${smtpPort}`;
      await transport(url).sendMail(message);
      await transport(url).sendMail({ ...message, to: 'carol@example.test', bcc: undefined, subject: 'For Carol' });

      const all = await api('GET', '/messages');
      assert.equal(all.status, 200);
      assert.deepEqual(all.body.map((m: Caught) => m.subject), [message.subject, 'For Carol'], 'newest last');
      const forAda = await api('GET', '/messages?to=ADA@example.test');
      assert.equal(forAda.body.length, 1);
      const mail = forAda.body[0] as Caught;
      assert.equal(mail.html, message.html);
      assert.equal(mail.headers['x-ledger-kind'], 'reply-notification');
      assert.deepEqual(mail.envelope.rcptTo, ['ada@example.test', 'hidden@example.test']);
      assert.equal((await api('GET', '/messages?to=hidden@example.test')).body.length, 1, 'Bcc recipients are found by the envelope');
      assert.deepEqual((await api('GET', '/messages?to=nobody@example.test')).body, []);
      assert.match(output, /#2 from news@localhost to carol@example\.test: For Carol\n {4}Someone replied/);

      assert.deepEqual(await api('DELETE', '/messages'), { status: 200, body: { cleared: 2 } });
      assert.deepEqual((await api('GET', '/messages')).body, []);

      assert.deepEqual(await api('POST', '/smtp/stop'), { status: 200, body: { smtp: 'stopped' } });
      assert.equal((await api('GET', '/health')).body.smtp, 'stopped');
      await assert.rejects(connect(smtpPort), (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED');
      assert.deepEqual(await api('POST', '/smtp/start'), { status: 200, body: { smtp: 'listening' } });
      await transport(url).sendMail({ ...message, subject: 'After the restart' });
      assert.deepEqual((await api('GET', '/messages?to=ada@example.test')).body.map((m: Caught) => m.subject), ['After the restart']);

      assert.equal((await api('GET', '/nothing')).status, 404);
      assert.equal((await api('PUT', '/messages')).status, 405);
    } finally {
      process.kill(child.pid!, 'SIGINT');
    }
    assert.equal(await exited, 0, output);
  });
});
