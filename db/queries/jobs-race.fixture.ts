// One of the two "server processes" in jobs.test.ts: opens its own connection, waits at a
// barrier until every process is ready (so they really try at the same moment), then tries to
// take each job and prints the names it got.
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../index';
import { takeJob } from './jobs';

const [file, owner, barrier, parties, names] = process.argv.slice(2) as [string, string, string, string, string];
const db = openDatabase(file);
fs.writeFileSync(path.join(barrier, owner), '');
const deadline = Date.now() + 60_000;
while (fs.readdirSync(barrier).length < Number(parties)) {
  if (Date.now() > deadline) throw new Error('the other process never came');
}
const taken = names.split(',').filter((name) => takeJob({ name, owner, now: Date.now(), leaseMs: 60_000 }, db));
db.$client.close();
process.stdout.write(JSON.stringify(taken));
