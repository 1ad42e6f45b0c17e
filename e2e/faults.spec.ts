import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encode } from '@auth/core/jwt';
import { request as playwrightRequest } from '@playwright/test';
import Database from 'better-sqlite3';
import { expect, test } from './fixtures';
import { freePort } from '../scripts/lib/next-process.mjs';

/*
 * Faults and load: many writers at once, and a crash in the middle of writing. Readers are
 * created straight in the database and given real session cookies signed with the server's
 * secret, so the test spends its time on writes, not on sign-up forms.
 */
const COOKIE = 'authjs.session-token';
const SLUG = 'xiaomi-q2-2017-smartphone-shipments';

async function sessionFor(dataFolder: string, dbFile: string, name: string): Promise<string> {
  const db = new Database(dbFile);
  db.pragma('busy_timeout = 5000');
  const id = crypto.randomUUID();
  db.prepare('insert into users (id, name, email, role) values (?, ?, ?, ?)').run(id, name, `${id}@example.test`, 'reader');
  // The session a sign-in would have started: a cookie without its row is signed out.
  const sid = crypto.randomUUID();
  db.prepare("insert into user_sessions (id, user_id, method) values (?, ?, 'password')").run(sid, id);
  db.close();
  const secret = fs.readFileSync(path.join(dataFolder, 'auth-secret'), 'utf8').trim();
  return encode({ token: { sub: id, sid }, secret, salt: COOKIE, maxAge: 3600 });
}

test('50 writers posting 20 comments each store exactly 1,000, with no server errors', async ({ baseURL }) => {
  test.setTimeout(120_000);
  const folder = path.resolve('.test-data');
  const dbFile = path.join(folder, 'e2e.db');
  const count = () => {
    const db = new Database(dbFile, { readonly: true });
    const n = db.prepare('select count(*) from comments').pluck().get() as number;
    db.close();
    return n;
  };
  const before = count();
  const writers = await Promise.all(
    Array.from({ length: 50 }, async (_, i) =>
      playwrightRequest.newContext({
        baseURL,
        extraHTTPHeaders: { cookie: `${COOKIE}=${await sessionFor(folder, dbFile, `Writer ${i}`)}` },
      }),
    ),
  );
  const statuses: number[] = [];
  await Promise.all(
    writers.map(async (writer, w) => {
      for (let i = 0; i < 20; i += 1) {
        const response = await writer.post(`/api/articles/${SLUG}/comments`, { data: { body: `Load ${w}-${i}` } });
        statuses.push(response.status());
        if (response.status() >= 500) console.log(await response.text());
      }
    }),
  );
  await Promise.all(writers.map((w) => w.dispose()));
  expect(statuses.filter((s) => s >= 500)).toEqual([]);
  expect(statuses.filter((s) => s === 201)).toHaveLength(1000);
  expect(count() - before).toBe(1000);
});

test('a server killed with SIGKILL mid-write restarts with an intact database holding every acknowledged comment', async () => {
  test.setTimeout(120_000);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'crash-'));
  const dbFile = path.join(folder, 'crash.db');
  // A free port, not a fixed one: the suite's other servers (the mail catcher, the OIDC provider) take fixed ones.
  const port = await freePort('127.0.0.1');
  const base = `http://localhost:${port}`;
  const start = (): ChildProcess =>
    spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', 'localhost', '-p', String(port)], {
      env: { ...process.env, DATABASE_PATH: dbFile, SITE_URL: base, NEXT_TELEMETRY_DISABLED: '1', COMMENT_RATE_LIMIT_DISABLED: '1' },
      stdio: 'ignore',
    });
  const ready = async () => {
    for (let i = 0; i < 150; i += 1) {
      try {
        if ((await fetch(`http://localhost:${port}/`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('server did not start');
  };

  let server = start();
  try {
    await ready();
    const cookie = `${COOKIE}=${await sessionFor(folder, dbFile, 'Crash Writer')}`;
    const acknowledged: number[] = [];
    let stop = false;
    const writer = async (n: number) => {
      for (let i = 0; !stop; i += 1) {
        try {
          const response = await fetch(`http://localhost:${port}/api/articles/${SLUG}/comments`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie },
            body: JSON.stringify({ body: `Before the crash ${n}-${i}` }),
          });
          if (response.status === 201) acknowledged.push((await response.json()).comment.id);
        } catch {
          return; // the server is gone
        }
      }
    };
    const writing = Promise.all(Array.from({ length: 8 }, (_, n) => writer(n)));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    server.kill('SIGKILL');
    stop = true;
    await writing;
    expect(acknowledged.length).toBeGreaterThan(10);

    server = start();
    await ready();
    const db = new Database(dbFile, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = new Set(db.prepare('select id from comments').pluck().all() as number[]);
    db.close();
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  } finally {
    server.kill('SIGKILL');
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
