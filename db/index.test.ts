import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { DatabaseSetupError, openDatabase } from './index';
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
