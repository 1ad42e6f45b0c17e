import { DatabaseSetupError, databasePath, getDb } from './index';
import { seedArticles } from './seed';

/**
 * Opens, migrates and seeds the database at server start. A setup problem a person can fix
 * (a missing or read-only data folder) is printed as one clear line, and the server exits.
 */
export function prepareDatabase(): void {
  try {
    const seeded = seedArticles(getDb());
    const changed = seeded.filter((s) => s.changed).map((s) => s.slug);
    console.log(
      `[db] ${databasePath()} ready: ${seeded.length} article(s)` +
        (changed.length ? `, loaded ${changed.join(', ')}` : ', content unchanged'),
    );
  } catch (error) {
    if (error instanceof DatabaseSetupError) {
      console.error(`\n[db] ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
