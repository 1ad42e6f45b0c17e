// `npm run export -- FILE.json` writes the site export (docs/site-export.md);
// `npm run export -- --format wxr FILE.xml` writes the comments as WordPress WXR.
// Reads DATABASE_PATH; safe while the server runs (SQLite's WAL gives it a consistent snapshot).
import { parseArgs } from 'node:util';
import { closeDb, getDb } from '../db/index';
import { writeSiteExport } from '../app/_lib/export/site-export';
import { writeWxrExport } from '../app/_lib/export/wxr-export';

const USAGE = 'Usage: npm run export -- FILE.json\n       npm run export -- --format wxr FILE.xml';

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { format: { type: 'string', default: 'json' } } });
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const [file] = parsed.positionals;
const format = parsed.values.format;
if (!file || parsed.positionals.length > 1 || !['json', 'wxr'].includes(format)) {
  console.error(USAGE);
  process.exit(2);
}
const db = getDb();
try {
  // One read transaction: every table is read from the same moment, even while the server writes.
  const summary = db.transaction(() => (format === 'wxr' ? writeWxrExport(file) : writeSiteExport(file)), { behavior: 'deferred' });
  console.log(`Wrote ${file} (${format}): ${Object.entries(summary).map(([k, v]) => `${v} ${k}`).join(', ')}.`);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  if (!code?.startsWith('E')) throw error;
  console.error(`Cannot write ${file}: ${code}.`);
  process.exitCode = 1;
} finally {
  closeDb();
}
