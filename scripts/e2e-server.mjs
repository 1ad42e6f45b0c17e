// Starts the production server for the e2e run on a fresh database.
// Playwright starts this as its webServer and stops it (with its process group) when done.
// Its output is also kept whole in .test-data/server.log, which e2e/server-log.check.ts reads
// after every other test.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const database = path.resolve(process.env.DATABASE_PATH ?? '.test-data/e2e.db');
fs.rmSync(path.dirname(database), { recursive: true, force: true });
fs.mkdirSync(path.dirname(database), { recursive: true });
const log = fs.createWriteStream(path.join(path.dirname(database), 'server.log'));

const server = spawn(
  process.execPath,
  ['node_modules/next/dist/bin/next', 'start', '-H', 'localhost', '-p', process.env.PORT ?? '3100'],
  { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DATABASE_PATH: database } },
);
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  log.write(chunk);
});
server.stderr.on('data', (chunk) => {
  process.stderr.write(chunk);
  log.write(chunk);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => log.end(() => process.exit(code ?? (signal ? 1 : 0))));
