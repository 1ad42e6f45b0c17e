import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { DatabaseSetupError, openDatabase, readThenWrite } from './index';
import { createTemporaryDatabase } from './test-db';

const temp = createTemporaryDatabase();
after(temp.cleanup);

describe('the database connection', () => {
  it('uses WAL, a busy timeout and enforced foreign keys, and applies the migrations', () => {
    const db = openDatabase(temp.file);
    try {
      assert.equal(db.$client.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.$client.pragma('foreign_keys', { simple: true }), 1);
      assert.equal(db.$client.pragma('busy_timeout', { simple: true }), 5000);
      const tables = db.$client
        .prepare("select name from sqlite_master where type = 'table' order by name")
        .pluck()
        .all();
      for (const table of ['articles', 'questions', 'question_choices']) assert.ok(tables.includes(table), table);
    } finally {
      db.$client.close();
    }
  });

  it('creates a missing data folder', () => {
    const file = path.join(temp.folder, 'nested', 'deeper', 'blog.db');
    openDatabase(file).$client.close();
    assert.ok(fs.existsSync(file));
  });

  it('explains a data folder that cannot be created, without a stack trace to read', () => {
    const blocker = path.join(temp.folder, 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    assert.throws(
      () => openDatabase(path.join(blocker, 'blog.db')),
      (error: unknown) =>
        error instanceof DatabaseSetupError &&
        error.message.includes(`Cannot create the data folder ${blocker}`) &&
        error.message.includes('DATABASE_PATH'),
    );
  });
});

describe('readThenWrite', () => {
  const bump = (db: ReturnType<typeof openDatabase>) => db.$client.prepare("insert into rate_limits (key, window_start, count) values ('other', 0, 1) on conflict do update set count = count + 1").run();
  const count = (tx: Pick<ReturnType<typeof openDatabase>, 'all'>) => tx.all<{ n: number }>(sql`select coalesce(sum(count), 0) as n from rate_limits where key = 'other'`)[0]!.n;

  it('runs the step again on fresh data when another connection committed between its reads and its first write', () => {
    const file = path.join(temp.folder, 'read-then-write.db');
    const mine = openDatabase(file);
    const other = openDatabase(file);
    try {
      const seen: number[] = [];
      const written = readThenWrite(mine, (tx) => {
        const n = count(tx);
        seen.push(n);
        // Another process commits while this step works, the first time only.
        if (seen.length === 1) bump(other);
        tx.run(sql`insert into rate_limits (key, window_start, count) values ('mine', 0, ${n})`);
        return n;
      });
      assert.deepEqual(seen, [0, 1], 'the first run read 0, was refused, and ran again');
      assert.equal(written, 1);
      assert.deepEqual(mine.$client.prepare("select count from rate_limits where key = 'mine'").pluck().all(), [1], 'only what the second run wrote is stored');
    } finally {
      mine.$client.close();
      other.$client.close();
    }
  });

  it('after refusals, holds the lock from the start, so nobody commits in between', () => {
    const file = path.join(temp.folder, 'read-then-write-2.db');
    const mine = openDatabase(file);
    const other = openDatabase(file);
    other.$client.pragma('busy_timeout = 0');
    try {
      const outcomes: string[] = [];
      readThenWrite(mine, (tx) => {
        count(tx);
        try {
          bump(other);
          outcomes.push('other committed');
        } catch (error) {
          outcomes.push((error as { code?: string }).code ?? 'error');
        }
        tx.run(sql`insert into rate_limits (key, window_start, count) values ('mine', 0, 1)`);
      });
      assert.deepEqual(outcomes, ['other committed', 'other committed', 'SQLITE_BUSY'], 'two optimistic runs refused, then the lock held up front');
      assert.equal(count(mine), 2);
    } finally {
      mine.$client.close();
      other.$client.close();
    }
  });
});
