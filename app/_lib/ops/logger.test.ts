import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger, routeConsoleToLogger } from './logger';

/** A logger at `debug` writing into an array of parsed lines. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger('debug', stream), lines };
}

const EMAIL = 'reader-42@example.test';
const PASSWORD = 'correct horse battery';

test('secret fields are redacted at every level, even debug', () => {
  const { log, lines } = capture();
  log.debug({ email: EMAIL, password: PASSWORD, body: { email: EMAIL, password: PASSWORD, newPassword: PASSWORD } }, 'sign-in attempt');
  log.info({ headers: { cookie: 'authjs.session-token=abc', authorization: 'Bearer xyz' }, token: 'reset-token-123' }, 'request');
  const text = lines.join('\n');
  for (const secret of [EMAIL, PASSWORD, 'authjs.session-token=abc', 'Bearer xyz', 'reset-token-123']) {
    assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
  }
  assert.equal(lines.length, 2);
  assert.equal(JSON.parse(lines[0]!).password, '[redacted]');
});

test('addresses in free text and in errors are masked', () => {
  const { log, lines } = capture();
  log.warn(`no account for ${EMAIL}`);
  log.error({ err: new Error(`could not send mail to ${EMAIL}`) }, 'mail failed');
  const text = lines.join('\n');
  assert.ok(!text.includes(EMAIL), text);
  assert.match(JSON.parse(lines[0]!).msg, /no account for \[email\]/);
});

test('each line has time, level and message; an error is one line with its stack', () => {
  const { log, lines } = capture();
  log.error({ err: new Error('boom') }, 'render failed');
  assert.equal(lines.length, 1);
  const line = JSON.parse(lines[0]!);
  assert.equal(line.level, 'error');
  assert.match(line.time, /^\d{4}-\d\d-\d\dT/);
  assert.equal(line.msg, 'render failed');
  assert.equal(line.err.message, 'boom');
  assert.match(line.err.stack, /Error: boom\n\s+at /);
});

test('the level is respected', () => {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) });
  const log = createLogger('warn', stream);
  log.info('not written');
  log.debug('not written');
  log.warn('written');
  assert.equal(lines.length, 1);
});

test('console output becomes JSON lines through the logger', () => {
  const { log, lines } = capture();
  const saved = { ...console };
  try {
    routeConsoleToLogger(log);
    console.error('\u001b[31m⨯\u001b[39m failed for', EMAIL, new Error('kaput'));
    console.warn('careful');
  } finally {
    Object.assign(console, saved);
  }
  assert.equal(lines.length, 2);
  const [error, warning] = lines.map((line) => JSON.parse(line));
  assert.equal(error.level, 'error');
  assert.equal(error.msg, '⨯ failed for [email]');
  assert.equal(error.err.message, 'kaput');
  assert.equal(warning.level, 'warn');
});
