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

// Playwright stops this process group when the run ends. If Playwright itself is killed first
// (a run stopped at the test runner's time limit), this process is orphaned, and the server
// (`next start` and the next-server it runs) would hold the port and the CPU: stop the group.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid === parent) return;
  server.kill('SIGTERM');
  setTimeout(() => {
    try {
      process.kill(-process.pid, 'SIGKILL'); // this group: next start, its next-server, and this process
    } catch {
      server.kill('SIGKILL');
      process.exit(1);
    }
  }, 5_000);
}, 1_000).unref();
