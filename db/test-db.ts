import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { openDatabase, type Db } from './index';

/**
 * Points DATABASE_PATH at a fresh SQLite file in a temporary folder, for integration tests
 * that run against the real migrations. Call before the first getDb().
 */
export function createTemporaryDatabase(): { file: string; folder: string; cleanup: () => void } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'blog-test-'));
  const file = path.join(folder, 'test.db');
  process.env.DATABASE_PATH = file;
  return { file, folder, cleanup: () => fs.rmSync(folder, { recursive: true, force: true }) };
}

/**
 * A fresh database file with two connections of its own, which SQLite cannot tell from two
 * server processes: for tests of what two processes may do at once. Closed and removed after
 * the test file.
 */
export function twoConnections(): { file: string; folder: string; first: Db; second: Db } {
  const temp = createTemporaryDatabase();
  const first = openDatabase(temp.file);
  const second = openDatabase(temp.file);
  after(() => {
    first.$client.close();
    second.$client.close();
    temp.cleanup();
  });
  return { file: temp.file, folder: temp.folder, first, second };
}
