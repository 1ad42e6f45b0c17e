// `npm run db:migrate`: applies the committed migrations to DATABASE_PATH (default data/blog.db).
// The server does this by itself at start; this is for operators and CI.
import { DatabaseSetupError, closeDb, databasePath, getDb } from '../db/index';

try {
  getDb();
  closeDb();
  console.log(`Migrated ${databasePath()}`);
} catch (error) {
  console.error(error instanceof DatabaseSetupError ? error.message : error);
  process.exit(1);
}
