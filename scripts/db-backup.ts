// `npm run db:backup [-- <file>]`: an online backup of DATABASE_PATH with `VACUUM INTO`, safe
// while the server keeps writing (db/backup.ts). Checks the copy's integrity before reporting
// success. Restore: stop the server, copy the backup over DATABASE_PATH (deleting its -wal and
// -shm files), start the server.
import fs from 'node:fs';
import path from 'node:path';
import { backupDatabase, backupFileName, backupFolder } from '../db/backup';
import { databasePath } from '../db/index';

function main(): void {
  const source = databasePath();
  if (!fs.existsSync(source)) {
    console.error(`No database at ${source}. Set DATABASE_PATH to the database to back up.`);
    process.exit(1);
  }
  const target = path.resolve(process.argv[2] ?? path.join(backupFolder(source), backupFileName(new Date())));
  const { ms, comments } = backupDatabase(source, target);
  console.log(`Backed up ${source} to ${target} in ${ms} ms: integrity ok, ${comments} comments.`);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
