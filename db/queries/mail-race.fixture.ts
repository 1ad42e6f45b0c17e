// One of the two sending "server processes" in mail.test.ts: opens its own connection, waits at
// a barrier until every process is ready (so they really claim at the same moment), then claims
// due mail a few rows at a time until none is left and prints the ids it got.
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../index';
import { claimDue } from './mail';

const [file, owner, barrier, parties] = process.argv.slice(2) as [string, string, string, string];
const db = openDatabase(file);
fs.writeFileSync(path.join(barrier, owner), '');
const deadline = Date.now() + 60_000;
while (fs.readdirSync(barrier).length < Number(parties)) {
  if (Date.now() > deadline) throw new Error('the other process never came');
}
const claimed: number[] = [];
for (;;) {
  const rows = claimDue(Date.now(), owner, 3, db);
  if (rows.length === 0) break;
  claimed.push(...rows.map((row) => row.id));
}
db.$client.close();
process.stdout.write(JSON.stringify(claimed));
