import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openDatabase } from '../db/index';
import { seedArticles } from '../db/seed';
import { createTemporaryDatabase } from '../db/test-db';

const run = promisify(execFile);
const temp = createTemporaryDatabase();
after(temp.cleanup);

/** Runs `npm run db:backup` on the test database into `target`, killed after `timeoutMs`; its stdout and wall time. */
async function backup(target: string, timeoutMs: number): Promise<{ stdout: string; ms: number }> {
  const started = performance.now();
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/db-backup.ts', target], {
    env: { ...process.env, DATABASE_PATH: temp.file },
    timeout: Math.ceil(timeoutMs),
    killSignal: 'SIGKILL',
  });
  return { stdout, ms: performance.now() - started };
}

describe('npm run db:backup', () => {
  it('copies a live database while writes continue, in at most 10x the time of a quiet backup; the copy is intact and holds every acknowledged comment', async () => {
    const db = openDatabase(temp.file);
    seedArticles(db);
    const client = db.$client;
    client.prepare("insert into users (id, name, email) values ('u1', 'Writer', 'w@example.com')").run();
    const insert = client.prepare(
      "insert into comments (article_id, author_id, body_markdown, body_html) values (1, 'u1', ?, '<p>x</p>') returning id",
    );
    // A realistic amount of data (some thousands of pages), so a page-by-page copy takes many steps.
    const bulk = client.transaction(() => {
      for (let i = 0; i < 40_000; i += 1) insert.get(`Before the backup ${i} ${'x'.repeat(200)}`);
    });
    bulk();
    const acknowledged = client.prepare('select max(id) from comments').pluck().get() as number;

    // The same backup with nobody writing: the yardstick for the one beside a writer.
    const quiet = await backup(path.join(temp.folder, 'quiet.db'), 120_000);
    assert.match(quiet.stdout, /integrity ok/);

    // Keep writing from this process while the backup runs in another: ten commits every 2 ms, a
    // busy site on this machine (a page-by-page copy restarts after each one, so it never ends).
    // Cleared in `finally`, so a failed or killed backup cannot leave the timer holding the process.
    let written = 0;
    const writer = setInterval(() => {
      for (let i = 0; i < 10; i += 1) insert.get(`During the backup ${written++}`);
    }, 2);
    const target = path.join(temp.folder, 'backup.db');
    const limitMs = 10 * quiet.ms;
    let busy: { stdout: string; ms: number };
    try {
      busy = await backup(target, limitMs).catch((error: { killed?: boolean }) => {
        if (error.killed) assert.fail(`the backup beside a writer did not finish within 10x the quiet one (${Math.round(limitMs)} ms)`);
        throw error;
      });
    } finally {
      clearInterval(writer);
      client.close();
    }

    assert.match(busy.stdout, /integrity ok/);
    assert.ok(written > 0, 'writes went on during the backup');
    assert.ok(busy.ms <= limitMs, `backup beside a writer took ${Math.round(busy.ms)} ms, quiet ${Math.round(quiet.ms)} ms`);
    const copy = new Database(target, { readonly: true });
    assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
    const missing = copy.prepare('select count(*) from comments where id <= ?').pluck().get(acknowledged);
    assert.equal(missing, acknowledged, 'every comment acknowledged before the backup started is in it');
    copy.close();
    assert.ok(fs.statSync(target).size > 1_000_000);
  });
});
