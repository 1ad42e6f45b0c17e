// Starts the production server for the e2e run on a fresh database.
// Playwright starts this as its webServer and stops it (with its process group) when done.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const database = path.resolve(process.env.DATABASE_PATH ?? '.test-data/e2e.db');
fs.rmSync(path.dirname(database), { recursive: true, force: true });

const server = spawn(
  process.execPath,
  ['node_modules/next/dist/bin/next', 'start', '-H', 'localhost', '-p', process.env.PORT ?? '3100'],
  { stdio: 'inherit', env: { ...process.env, DATABASE_PATH: database } },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
