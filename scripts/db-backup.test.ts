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

describe('npm run db:backup', () => {
  it('copies a live database while writes continue; the copy is intact and holds every acknowledged comment', async () => {
    const db = openDatabase(temp.file);
    seedArticles(db);
    const client = db.$client;
    client.prepare("insert into users (id, name, email) values ('u1', 'Writer', 'w@example.com')").run();
    const insert = client.prepare(
      "insert into comments (article_id, author_id, body_markdown, body_html) values (1, 'u1', ?, '<p>x</p>') returning id",
    );
    // A realistic amount of data, so the backup takes several steps.
    const bulk = client.transaction(() => {
      for (let i = 0; i < 20_000; i += 1) insert.get(`Before the backup ${i} ${'x'.repeat(200)}`);
    });
    bulk();
    const acknowledged = client.prepare('select max(id) from comments').pluck().get() as number;

    // Keep writing from this process while the backup runs in another.
    let written = 0;
    const writer = setInterval(() => {
      insert.get(`During the backup ${written++}`);
    }, 2);
    const target = path.join(temp.folder, 'backup.db');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/db-backup.ts', target], {
      env: { ...process.env, DATABASE_PATH: temp.file },
    });
    clearInterval(writer);
    client.close();

    assert.match(stdout, /integrity ok/);
    assert.ok(written > 0, 'writes went on during the backup');
    const copy = new Database(target, { readonly: true });
    assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
    const missing = copy.prepare('select count(*) from comments where id <= ?').pluck().get(acknowledged);
    assert.equal(missing, acknowledged, 'every comment acknowledged before the backup started is in it');
    copy.close();
    assert.ok(fs.statSync(target).size > 1_000_000);
  });
});
