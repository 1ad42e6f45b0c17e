/**
 * Runs once when the server starts: open the database, apply migrations, load the content
 * files, and make sure Auth.js has a secret, so a fresh clone runs without a setup step or .env.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { prepareDatabase } = await import('./db/prepare');
  prepareDatabase();
  const { prepareAuthSecret } = await import('./app/_lib/auth/secret');
  prepareAuthSecret();
}
