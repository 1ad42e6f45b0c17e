import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
