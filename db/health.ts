/*
 * What readiness (app/api/ready) asks of the database: that it opens, takes a write, and has
 * every migration this build ships. Each failure is one short sentence for the 503's body.
 */
import path from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { getDb } from './index';

let lastShipped: number | undefined;

/** The newest migration this build ships, by the timestamp Drizzle's migrator records for it. */
function newestShippedMigration(migrationsFolder: string): number {
  lastShipped ??= Math.max(...readMigrationFiles({ migrationsFolder }).map((migration) => migration.folderMillis));
  return lastShipped;
}

export function databaseProblems(migrationsFolder = path.join(process.cwd(), 'drizzle')): string[] {
  let client;
  try {
    client = getDb().$client;
  } catch (error) {
    return [`the database does not open: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  try {
    // A real write that changes nothing: the header's user_version (unused by Drizzle) is set to
    // what it is. It goes through the WAL like any commit, so a read-only file, a read-only
    // mount or a full disk fails it as a comment would.
    const version = client.pragma('user_version', { simple: true }) as number;
    client.pragma(`user_version = ${version}`);
  } catch (error) {
    problems.push(`the database does not take writes: ${(error as Error).message}`);
  }
  try {
    const applied = client.prepare('SELECT max(created_at) FROM __drizzle_migrations').pluck().get() as number | null;
    if (applied === null || applied < newestShippedMigration(migrationsFolder)) {
      problems.push('the database is missing migrations this build ships (start the server again, or run npm run db:migrate)');
    }
  } catch (error) {
    problems.push(`the migrations cannot be checked: ${(error as Error).message}`);
  }
  return problems;
}
