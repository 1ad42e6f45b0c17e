// `npm run db:backup [-- <file>]`: an online backup of DATABASE_PATH with `VACUUM INTO`, safe
// while the server keeps writing. Checks the copy's integrity before reporting success.
// Restore: stop the server, copy the backup over DATABASE_PATH (deleting its -wal and -shm
// files), start the server.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { databasePath } from '../db/index';

function main(): void {
  const source = databasePath();
  if (!fs.existsSync(source)) {
    console.error(`No database at ${source}. Set DATABASE_PATH to the database to back up.`);
    process.exit(1);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = path.resolve(process.argv[2] ?? path.join(path.dirname(source), 'backups', `blog-${stamp}.db`));
  fs.mkdirSync(path.dirname(target), { recursive: true });

  const db = new Database(source, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const started = Date.now();
  // One read transaction, one consistent snapshot: WAL lets writers go on beside it, and unlike
  // the page-by-page backup API it never restarts when they commit (which on a busy site meant it
  // never finished). Written beside the target and renamed, so a failed run leaves no partial
  // file under the backup's name; VACUUM INTO refuses an existing file.
  const partial = `${target}.partial`;
  fs.rmSync(partial, { force: true });
  db.prepare('VACUUM INTO ?').run(partial);
  db.close();
  fs.renameSync(partial, target);

  const copy = new Database(target, { readonly: true });
  const integrity = copy.pragma('integrity_check', { simple: true });
  const comments = copy.prepare('select count(*) from comments').pluck().get();
  copy.close();
  if (integrity !== 'ok') {
    console.error(`Backup written to ${target}, but its integrity check failed: ${integrity}`);
    process.exit(1);
  }
  console.log(`Backed up ${source} to ${target} in ${Date.now() - started} ms: integrity ok, ${comments} comments.`);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
