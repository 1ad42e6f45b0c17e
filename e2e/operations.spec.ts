import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ARTICLE_PATH, ARTICLE_SLUG, expect, newReader, signUpAt, test } from './fixtures';
import { NO_NGINX, chownTree, nginxBin, startNext, startNginx } from './own-servers';

/*
 * Running it in production (README, "Running in production"): liveness and readiness, the JSON
 * request log, the graceful stop, refused settings, jobs and metrics, each against a real
 * `next start` on the e2e build.
 */

type LogLine = { level: string; msg: string; reqId?: string; method?: string; path?: string; route?: string; status?: number; durationMs?: number; cache?: string; [key: string]: unknown };

/** The JSON lines a server printed (Next's own banner before the logger starts is skipped). */
function logLines(text: string): LogLine[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

async function signedInCookie(page: import('@playwright/test').Page, origin: string, dir: string): Promise<string> {
  await signUpAt(page, origin, path.join(dir, 'mail'), newReader('Ops Reader'));
  const cookies = await page.context().cookies(origin);
  return cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}

test.describe('health and readiness', () => {
  test('liveness and readiness answer 200, uncached, with a request id', async ({ request }) => {
    const health = await request.get('/api/health');
    expect(health.status()).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(health.headers()['cache-control']).toBe('no-store');
    expect(health.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

    const ready = await request.get('/api/ready');
    const body = await ready.json();
    expect(ready.status(), JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ status: 'ready', problems: [] });
    expect(ready.headers()['cache-control']).toBe('no-store');
  });

  test('a well-formed X-Request-Id is echoed; a malformed one is replaced', async ({ request }) => {
    const kept = await request.get('/api/health', { headers: { 'X-Request-Id': 'lb-7f3a.42' } });
    expect(kept.headers()['x-request-id']).toBe('lb-7f3a.42');
    const replaced = await request.get('/api/health', { headers: { 'X-Request-Id': 'bad id with spaces' } });
    expect(replaced.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('behind the shipped nginx, health and readiness are never served from its cache', async () => {
    test.skip(!nginxBin, NO_NGINX);
    const next = await startNext({});
    const edge = await startNginx(`127.0.0.1:${next.port}`);
    try {
      for (const name of ['health', 'ready']) {
        for (let i = 0; i < 2; i += 1) {
          const response = await fetch(`${edge.origin}/api/${name}`);
          expect(response.status).toBe(200);
          expect(response.headers.get('x-cache-status'), name).toBeNull();
          expect(response.headers.get('cache-control')).toBe('no-store');
        }
      }
    } finally {
      await edge.stop();
      await next.stop();
    }
  });

  test('a read-only database makes readiness 503 and say why; liveness and reading stay 200', async () => {
    test.skip(process.getuid?.() !== 0, 'needs root, to run the server as another user (root may write any file)');
    const dir = fs.mkdtempSync(path.resolve('.test-data', 'read-only-'));
    const database = path.join(dir, 'blog.db');
    // A database made by a first server, stopped cleanly, then made read-only for the user the
    // second server runs as (nobody): SQLite opens it read-only, readers can read, writes fail.
    const first = await startNext({ DATABASE_PATH: database });
    await first.stop();
    fs.chmodSync(database, 0o444);
    const nobody = { uid: 65534, gid: 65534 };
    chownTree(dir, nobody);
    const next = await startNext({ DATABASE_PATH: database, BACKUP_INTERVAL_HOURS: '0' }, 'localhost', nobody);
    try {
      const ready = await fetch(`${next.origin}/api/ready`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get('cache-control')).toBe('no-store');
      const body = await ready.json();
      expect(body.status).toBe('not ready');
      expect(body.problems).toEqual(['the database does not take writes: attempt to write a readonly database']);
      expect((await fetch(`${next.origin}/api/health`)).status).toBe(200);
      const article = await fetch(`${next.origin}${ARTICLE_PATH}`);
      expect(article.status).toBe(200);
      expect(await article.text()).toContain('Xiaomi');
    } finally {
      await next.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test.describe('scheduled jobs', () => {
  test('a failing backup is logged and shown by readiness and the metrics', async () => {
    // A file where the backups folder should be: the backup cannot be written.
    const dir = fs.mkdtempSync(path.resolve('.test-data', 'backup-fails-'));
    fs.writeFileSync(path.join(dir, 'backups'), 'not a folder');
    const next = await startNext({ DATABASE_PATH: path.join(dir, 'blog.db') });
    try {
      await expect
        .poll(async () => (await (await fetch(`${next.origin}/api/ready`)).json()).problems.join('\n'), { timeout: 60_000 })
        .toMatch(/the last scheduled backup failed: /);
      const ready = await fetch(`${next.origin}/api/ready`);
      expect(ready.status).toBe(503);
      const metrics = await (await fetch(`${next.origin}/api/metrics`)).text();
      expect(metrics).toMatch(/^blog_job_runs_total\{job="backup",outcome="failed"\} 1$/m);
      expect(metrics).toMatch(/^blog_job_consecutive_failures\{job="backup"\} 1$/m);
      expect(metrics).toMatch(/^blog_last_backup_age_seconds -1$/m);
      const failed = logLines(next.log()).find((line) => line.level === 'error' && /backup failed/.test(line.msg));
      expect(failed, next.log()).toBeTruthy();
      // The purge is a separate job and still ran.
      expect(metrics).toMatch(/^blog_job_runs_total\{job="purge",outcome="ok"\} 1$/m);
    } finally {
      await next.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test.describe('the request log', () => {
  test('one JSON line per request, with its id, method, path, route, status, duration and cache', async () => {
    const next = await startNext({ LOG_LEVEL: 'info' });
    try {
      const article = `${next.origin}${ARTICLE_PATH}`;
      await fetch(article, { headers: { 'X-Request-Id': 'first-read' } });
      await fetch(`${article}?utm=secret-token-in-query`, { headers: { 'X-Request-Id': 'second-read' } });
      await fetch(`${next.origin}/no/such/page`, { headers: { 'X-Request-Id': 'missing' } });
      // A line is written when its answer ends, which may be after fetch has the answer.
      const ids = () => new Set(logLines(next.log()).map((line) => line.reqId));
      await expect.poll(() => ['first-read', 'second-read', 'missing'].every((id) => ids().has(id))).toBe(true);
      const lines = logLines(next.log());
      const byId = (id: string) => lines.find((line) => line.reqId === id);

      const second = byId('second-read');
      expect(second).toMatchObject({ level: 'info', msg: 'request', method: 'GET', path: ARTICLE_PATH, route: '/articles/[slug]', status: 200, cache: 'hit' });
      expect(typeof second?.durationMs).toBe('number');
      expect(typeof second?.time).toBe('string');
      // The query string, where tokens travel, is never written.
      expect(next.log()).not.toContain('secret-token-in-query');
      expect(byId('missing')).toMatchObject({ status: 404, route: 'not-found' });
      // Only JSON lines once the logger has started: Next's own messages go through it too.
      const started = next.log().split('\n').findIndex((line) => line.includes('"msg":"started"'));
      expect(started).toBeGreaterThanOrEqual(0);
      for (const line of next.log().split('\n').slice(started).filter(Boolean)) expect(line.startsWith('{'), line).toBe(true);
    } finally {
      await next.stop();
    }
  });

  test('LOG_LEVEL=warn writes no request lines', async () => {
    const next = await startNext({ LOG_LEVEL: 'warn' });
    try {
      await fetch(`${next.origin}/api/health`);
      await fetch(`${next.origin}${ARTICLE_PATH}`);
      expect(logLines(next.log()).filter((line) => line.msg === 'request')).toEqual([]);
    } finally {
      await next.stop();
    }
  });
});

test.describe('settings', () => {
  test('bad settings stop the start with one line each, naming the variable, the value and what is accepted', async () => {
    const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', '0'], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        NEXT_DIST_DIR: process.env.NEXT_DIST_DIR || '.next',
        DATABASE_PATH: '.test-data/refused.db',
        AUTH_SIGNIN_LIMIT_PER_IP: 'abc',
        LOG_LEVEL: 'loud',
        METRICS_TOKEN: 'short-secret',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    const problems = stderr.split('\n').filter((line) => line.startsWith('[config] '));
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toContain('AUTH_SIGNIN_LIMIT_PER_IP="abc"');
    expect(problems.join('\n')).toContain('LOG_LEVEL="loud"');
    expect(problems.join('\n')).toMatch(/METRICS_TOKEN="\*+"/);
    expect(stderr).not.toContain('short-secret');
  });
});

test.describe('graceful stop', () => {
  test.describe.configure({ timeout: 120_000 });

  test('SIGTERM under 20 writers: every accepted request is answered, every acknowledged comment is stored, exit 0', async ({ page }) => {
    const next = await startNext({ SHUTDOWN_TIMEOUT_SECONDS: '10' });
    let stopped = false;
    try {
      const cookie = await signedInCookie(page, next.origin, next.dir);
      // `answered`: the response had begun when an error came (a half answer, never allowed).
      type Outcome = { sentAt: number; endedAt: number; status?: number; id?: number; body: string; error?: string; answered?: boolean };
      const outcomes: Outcome[] = [];
      let signalAt = Infinity;
      let serial = 0;

      // One new connection per request: a request is either refused at connect (never accepted)
      // or accepted, and then it must get its whole answer.
      const post = (body: string) =>
        new Promise<Outcome>((resolve) => {
          const sentAt = Date.now();
          const payload = JSON.stringify({ body });
          const request = http.request(
            `${next.origin}/api/articles/${ARTICLE_SLUG}/comments`,
            { method: 'POST', agent: false, headers: { cookie, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), origin: next.origin } },
            (response) => {
              let text = '';
              response.on('data', (chunk) => (text += String(chunk)));
              response.on('end', () => {
                const parsed = response.statusCode === 201 ? (JSON.parse(text) as { comment: { id: number } }) : null;
                resolve({ sentAt, endedAt: Date.now(), status: response.statusCode, id: parsed?.comment.id, body });
              });
              response.on('error', (error) => resolve({ sentAt, endedAt: Date.now(), body, answered: true, error: (error as NodeJS.ErrnoException).code ?? error.message }));
            },
          );
          request.on('error', (error) => resolve({ sentAt, endedAt: Date.now(), body, error: (error as NodeJS.ErrnoException).code ?? error.message }));
          request.end(payload);
        });

      const writer = async () => {
        for (;;) {
          const outcome = await post(`Graceful stop comment ${(serial += 1)} written at ${Date.now()}`);
          outcomes.push(outcome);
          if (outcome.error || outcome.status !== 201) return;
        }
      };
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => next.child.once('exit', (code, signal) => resolve({ code, signal })));
      const writers = Array.from({ length: 20 }, writer);
      await expect.poll(() => outcomes.filter((o) => o.status === 201).length, { timeout: 30_000 }).toBeGreaterThan(40);
      signalAt = Date.now();
      next.child.kill('SIGTERM');
      await Promise.all(writers);
      const { code, signal } = await exited;
      stopped = true;

      // Every request got its whole answer, a stored comment, or none at all: refused at connect
      // once the server stopped listening, or reset while its connection still sat in the kernel's
      // listen backlog (a busy server may not have accepted one sent a moment before the signal).
      // Never a half answer, and (checked below) never stored without an answer.
      const halfOrWrong = outcomes.filter((o) => (o.error ? o.answered || !['ECONNREFUSED', 'ECONNRESET'].includes(o.error) : o.status !== 201));
      expect(halfOrWrong, JSON.stringify(halfOrWrong.slice(0, 5))).toEqual([]);
      const refused = outcomes.filter((o) => o.error);
      expect(refused.length, 'the server stopped taking connections').toBeGreaterThan(0);
      // The backlog holds at most one request per writer: the rest before the signal were answered.
      expect(refused.filter((o) => o.sentAt < signalAt).length).toBeLessThan(20);
      const acknowledged = outcomes.filter((o) => o.status === 201);
      // Requests in flight at the signal were finished, not dropped.
      expect(acknowledged.filter((o) => o.sentAt < signalAt && o.endedAt >= signalAt).length).toBeGreaterThan(0);
      expect({ code, signal }).toEqual({ code: 0, signal: null });

      // Checkpointed on the way out: the write-ahead log is empty (looked at before opening it again).
      const wal = path.join(next.dir, 'blog.db-wal');
      expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0).toBe(0);
      const db = new Database(path.join(next.dir, 'blog.db'), { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const stored = db.prepare('SELECT id, body_markdown AS body FROM comments').all() as { id: number; body: string }[];
        const byId = new Map(stored.map((row) => [row.id, row.body]));
        for (const outcome of acknowledged) expect(byId.get(outcome.id!), `comment ${outcome.id}`).toBe(outcome.body);
        // A refused or reset request never reached the application: nothing of it was stored.
        const storedBodies = new Set(byId.values());
        expect(refused.filter((o) => storedBodies.has(o.body))).toEqual([]);
      } finally {
        db.close();
      }
      const lines = logLines(next.log());
      expect(lines.some((line) => line.msg === 'stopped' && line.cut === 0)).toBe(true);
    } finally {
      if (!stopped) await next.stop();
      else fs.rmSync(next.dir, { recursive: true, force: true });
    }
  });
});
