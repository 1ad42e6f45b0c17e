// `npm run config`: the settings the server would run with, from this environment: each one's
// value (secrets as ****) and whether it was set or is the default, by group. A refused value
// prints its line, as the server's start would, and exits 1.
// `npm run config -- --markdown`: the configuration tables of docs/configuration.md, from the same declarations.
import { ConfigError, effectiveSettings, markdownTables, settingGroups } from '../app/_lib/config.mjs';

if (process.argv.includes('--markdown')) {
  console.log(markdownTables());
  process.exit(0);
}

let rows;
try {
  rows = effectiveSettings(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  for (const problem of error.problems) console.error(`[config] ${problem}`);
  process.exit(1);
}

const nameWidth = Math.max(...rows.map((row) => row.name.length));
const valueWidth = Math.min(48, Math.max(...rows.map((row) => row.value.length)));
const note = process.env.NODE_ENV === 'production' ? '' : " NODE_ENV is not production, so AUTH_SECRET's production rule was not applied.";
console.log(`Settings from this environment, secrets as ****.${note}`);
for (const group of settingGroups()) {
  console.log(`\n${group}`);
  for (const row of rows.filter((r) => r.group === group)) {
    console.log(`  ${row.name.padEnd(nameWidth)}  ${row.value.padEnd(valueWidth)}  ${row.source}`);
  }
}
