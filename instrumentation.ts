/**
 * Runs once when the server starts: open the database, apply migrations, load the content
 * files, and make sure Auth.js has a secret, so a fresh clone runs without a setup step or .env.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // Settings read per request are checked here: a bad one is one clear line and the server exits.
  const { trustedProxyHops } = await import('./app/_lib/http/client-ip');
  const { cacheBounds } = await import('./app/_lib/http/cache-bounds.mjs');
  try {
    trustedProxyHops();
    cacheBounds();
  } catch (error) {
    console.error(`\n[config] ${(error as Error).message}\n`);
    process.exit(1);
  }
  const { prepareDatabase } = await import('./db/prepare');
  prepareDatabase();
  const { prepareAuthSecret } = await import('./app/_lib/auth/secret');
  prepareAuthSecret();
}
