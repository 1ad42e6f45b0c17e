/**
 * Runs once when the server starts: open the database, apply migrations, load the content
 * files, and make sure Auth.js has a secret, so a fresh clone runs without a setup step or .env.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // Every setting (app/_lib/config.mjs) is checked here: each bad one is a line, and the server exits.
  const { ConfigError, parseSettings } = await import('./app/_lib/config.mjs');
  try {
    parseSettings(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) console.error(`[config] ${problem}`);
    process.exit(1);
  }
  const { prepareDatabase } = await import('./db/prepare');
  prepareDatabase();
  const { prepareAuthSecret } = await import('./app/_lib/auth/secret');
  prepareAuthSecret();
}
