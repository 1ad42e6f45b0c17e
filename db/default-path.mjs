// @ts-check
// The database file when DATABASE_PATH is unset. Declared here, not in app/_lib/config.mjs (which
// declares the setting and imports this), because db/ never imports from app/.
export const DEFAULT_DATABASE_PATH = 'data/blog.db';
