// `npm run import -- wordpress|disqus|json FILE [--dry-run] [--include-spam] [--map OLD=slug]... [--map-file FILE]`
// imports comments into DATABASE_PATH (see README, "Import and export"). Safe while the server
// runs: one transaction, and the changed articles' cached pages are marked for a new render.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { closeDb, getDb } from '../db/index';
import { importComments } from '../app/_lib/import/importer';
import { importSiteExport } from '../app/_lib/export/site-import';
import { parseMappings } from '../app/_lib/import/mapping';
import { formatReport } from '../app/_lib/import/report';
import { ImportError } from '../app/_lib/import/xml-stream';
import { noteOutsideChanges } from '../app/_lib/http/outside-changes.mjs';

const USAGE = `Usage: npm run import -- wordpress|disqus|json FILE [options]
  --dry-run            print what would happen and write nothing
  --include-spam       hold WordPress spam and trash for review instead of skipping them
  --map OLD=slug       attach the source thread at OLD (its URL or path) to this blog's article slug; repeatable
  --map-file FILE      OLD=slug lines (# comments and blank lines skipped)`;

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      'include-spam': { type: 'boolean', default: false },
      map: { type: 'string', multiple: true, default: [] },
      'map-file': { type: 'string' },
    },
  });
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`, 2);
}
const [format, file] = parsed.positionals;
if (!format || !file || parsed.positionals.length > 2 || !['wordpress', 'disqus', 'json'].includes(format)) fail(USAGE, 2);

try {
  const started = Date.now();
  getDb();
  if (format === 'json') {
    const report = importSiteExport(file, { dryRun: parsed.values['dry-run'] });
    console.log(report.text);
    if (!report.dryRun) noteOutsideChanges(report.changedSlugs);
  } else {
    const mapFile = parsed.values['map-file'];
    const map = parseMappings(parsed.values.map, mapFile ? { name: mapFile, text: readMapFile(mapFile) } : null);
    const report = importComments({
      format: format as 'wordpress' | 'disqus',
      file,
      dryRun: parsed.values['dry-run'],
      includeSpam: parsed.values['include-spam'],
      map,
    });
    console.log(formatReport(report));
    const changed = [...report.articles].filter(([, c]) => c.imported > 0).map(([slug]) => slug);
    // The server cannot be told directly: it reads this note at its next cached read.
    if (!report.dryRun) noteOutsideChanges(changed);
  }
  console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  closeDb();
} catch (error) {
  closeDb();
  if (error instanceof ImportError) fail(`Nothing was imported. ${error.message}`);
  throw error;
}

function readMapFile(name: string): string {
  try {
    return fs.readFileSync(name, 'utf8');
  } catch (error) {
    throw new ImportError(`Cannot read the map file ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}
