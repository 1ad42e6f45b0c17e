/**
 * Runs once when the server starts: open the database, apply migrations and load the content
 * files, so a fresh clone serves the article without a separate setup step.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { prepareDatabase } = await import('./db/prepare');
  prepareDatabase();
}
