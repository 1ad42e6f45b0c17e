import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { BackupError, backupDatabase, backupFileName, backupFolder, checkBackup, pruneBackups, scheduledBackup } from './backup';
import { openDatabase } from './index';
import { createTemporaryDatabase } from './test-db';

const temp = createTemporaryDatabase();
const folder = backupFolder(temp.file);
before(() => {
  const db = openDatabase(temp.file);
  db.$client.prepare("insert into users (id, name, email) values ('u1', 'Writer', 'w@example.com')").run();
  db.$client.close();
});
after(temp.cleanup);

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 3, minute));
const backups = () => fs.readdirSync(folder).sort();

describe('online backups', () => {
  it('write a copy that passes integrity_check under the given name, with no partial file left', () => {
    const target = path.join(temp.folder, 'manual', 'copy.db');
    const result = backupDatabase(temp.file, target);
    assert.equal(result.target, target);
    assert.equal(checkBackup(target).integrity, 'ok');
    const copy = new Database(target, { readonly: true });
    assert.equal(copy.prepare('select name from users').pluck().get(), 'Writer');
    copy.close();
    assert.deepEqual(fs.readdirSync(path.dirname(target)), ['copy.db']);
  });

  it('refuse to report success when the check fails: nothing under the backup name', () => {
    const target = path.join(temp.folder, 'refused', 'copy.db');
    const check = () => ({ integrity: '*** in database main *** Page 3: never used', comments: 0 });
    assert.throws(() => backupDatabase(temp.file, target, { check }), (error: unknown) => error instanceof BackupError && /integrity check failed: \*\*\* in database main/.test(error.message));
    assert.deepEqual(fs.readdirSync(path.dirname(target)), ['copy.db.partial'], 'the script leaves the bad copy to inspect, under .partial');
  });

  it('keep exactly BACKUP_KEEP scheduled backups, the newest, and never touch other files', () => {
    fs.mkdirSync(folder, { recursive: true });
    const unrelated = ['notes.txt', 'blog-before-upgrade.db', 'blog-2020-01-01.db', `${backupFileName(at(0))}.partial`, 'blog-2020-01-01T00-00-00-000Z.db-wal'];
    for (const name of unrelated) fs.writeFileSync(path.join(folder, name), 'keep me');
    fs.mkdirSync(path.join(folder, backupFileName(at(1))), { recursive: true }); // a folder with a backup's name
    for (let minute = 10; minute < 15; minute += 1) scheduledBackup(temp.file, 3, at(minute));
    const kept = [12, 13, 14].map((minute) => backupFileName(at(minute)));
    assert.deepEqual(backups(), [...unrelated, backupFileName(at(1)), ...kept].sort());
    for (const name of kept) assert.equal(checkBackup(path.join(folder, name)).integrity, 'ok');
    for (const name of unrelated) assert.equal(fs.readFileSync(path.join(folder, name), 'utf8'), 'keep me');
  });

  it('delete nothing when the new copy fails its check, and leave no bad copy behind', () => {
    const before = backups();
    const check = () => ({ integrity: 'row 1 missing from index', comments: 0 });
    assert.throws(() => scheduledBackup(temp.file, 1, at(20), { check }), BackupError);
    assert.deepEqual(backups(), before);
  });

  it('always keep the backup just written, even when a clock set back gives it the oldest name', () => {
    const result = scheduledBackup(temp.file, 2, at(5));
    assert.ok(fs.existsSync(result.target));
    const scheduled = backups().filter((name) => /^blog-\d{4}-.*Z\.db$/.test(name) && fs.statSync(path.join(folder, name)).isFile());
    assert.deepEqual(scheduled, [backupFileName(at(5)), backupFileName(at(14))]);
    assert.deepEqual(pruneBackups(folder, 1), [backupFileName(at(5))], 'without protection, the oldest name goes first');
  });
});
