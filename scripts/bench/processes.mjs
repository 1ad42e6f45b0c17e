/*
 * The bench's child processes: each one tracked so an interrupted run can stop it by PID, the undo
 * steps that must run on any exit path, and `next start` on the bench's build and database.
 */
import { spawn } from 'node:child_process';
import dns from 'node:dns/promises';
import fs from 'node:fs';
import path from 'node:path';
import { keepOutput } from '../lib/next-process.mjs';
import { DB_PATH, DIST_DIR, HOST, NEXT_BIN, PAGE_ARTICLE, ROOT } from './config.mjs';

/** Every child still running, so an interrupted bench can stop them by PID. */
export const running = new Set();
/** Undo steps (stop the server, restore files Next rewrote) that must run on any exit path. */
export const cleanups = new Set();

export function track(child) {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Runs a command to completion, capturing its output. Rejects only if it cannot be started. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = track(spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...options }));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) =>
      resolve({ code, signal, stdout, stderr, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

/** The first executable called `command` in PATH and then in `extraDirs`, or null. */
export function findExecutable(command, extraDirs = []) {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...extraDirs].filter(Boolean);
  for (const dir of dirs) {
    const file = path.join(dir, command);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * The environment every Next process of the bench gets: its own build folder, its database, and
 * the baseline route drawing the measured article (it reads the database only during the build).
 */
export function nextEnv(extra = {}) {
  return {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_DIST_DIR: DIST_DIR,
    DATABASE_PATH: DB_PATH,
    BENCH_BASELINE: '1',
    BENCH_BASELINE_SLUG: PAGE_ARTICLE.slug,
    NEXT_TELEMETRY_DISABLED: '1',
    // The scheduled backup copies the whole bench database (seconds of I/O and CPU for 100,000
    // comments) a few seconds after each start: not what any scenario measures.
    BACKUP_INTERVAL_HOURS: '0',
    ...extra,
  };
}

/**
 * The host name `next start` is told to bind to. Next serves a rewrite from proxy.ts (every
 * signed-in article request) in-process only when the rewritten URL's origin is the one it was
 * started with, and request.nextUrl calls 127.0.0.1 "localhost": started with -H 127.0.0.1 it
 * forwards each of those requests to itself over HTTP (a second connection per request, and
 * "Failed to proxy ... socket hang up" 500s under load), which it does not with -H localhost
 * (checked on this project with ss). So bind "localhost" when it resolves to 127.0.0.1, which is
 * still loopback only, and 127.0.0.1 otherwise (with a note: signed-in figures then include the hop).
 */
export async function bindName(notes) {
  const { address } = await dns.lookup('localhost', { family: 4 }).catch(() => ({ address: null }));
  if (address === HOST) return 'localhost';
  notes.push(`"localhost" does not resolve to ${HOST}: the server binds ${HOST}, and Next forwards signed-in (rewritten) requests to itself over HTTP`);
  return HOST;
}

export function startServer(port, bind, extraEnv = {}) {
  const origin = `http://${HOST}:${port}`;
  const child = track(
    spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(port), '-H', bind], {
      cwd: ROOT,
      // The write scenario measures throughput, not the per-reader flood limits (WRITE_SCENARIO).
      env: nextEnv({ SITE_URL: origin, COMMENT_RATE_LIMIT_DISABLED: '1', ...extraEnv }),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  // Keep the server's output (bounded) to show it when something goes wrong.
  return { child, pid: child.pid, port, origin, output: keepOutput(child) };
}

/** Lines of the server's output (the last 200 kept) that report an error, for the notes. */
export function serverErrorLines(server) {
  return server
    .output()
    .split('\n')
    .filter((line) => /\berror\b|\bfailed\b|⨯/i.test(line));
}
