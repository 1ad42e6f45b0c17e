/*
 * Servers a spec starts for itself, beside Playwright's: `next start` on the e2e build with its
 * own settings and database, and nginx with deploy/nginx.conf filled in as scripts/bench.mjs
 * fills it. Each is stopped by its PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, keepOutput, sleep, stopServer, waitUntilReady } from '../scripts/lib/next-process.mjs';
import { findNginx } from '../scripts/bench/nginx.mjs';

/**
 * nginx's path, or null on a machine without it (a newcomer's laptop): the specs that need it
 * are skipped there with this reason, and `npm test` in CI counts a skip as a failure.
 */
export const nginxBin: string | null = findNginx();
export const NO_NGINX = 'nginx is not installed (apt-get install nginx, or brew install nginx): the shipped edge config is not tested here';

export type OwnServer = { origin: string; output: () => string; stop: () => Promise<void> };

/** A world-readable temporary folder: as root, nginx's workers run as another user. */
function openTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/**
 * `next start` on a fresh database with `env` on top of a minimal environment (none of the e2e
 * server's relaxed limits). `host` is where it listens; the origin is always "localhost". It runs
 * a copy of the build without its page cache: pages it renders (with its own SITE_URL) must not
 * be served later by the e2e server.
 */
export async function startNext(
  env: Record<string, string>,
  host = 'localhost',
  /** Run it as this user (root only): its copy of the build becomes that user's. */
  user?: { uid: number; gid: number },
): Promise<OwnServer & { port: number; dir: string; child: ChildProcess; log: () => string }> {
  fs.mkdirSync('.test-data', { recursive: true });
  const dir = fs.mkdtempSync(path.join('.test-data', 'own-'));
  const distDir = path.join(dir, 'next');
  // The build the suite runs against (NEXT_DIST_DIR, as the e2e server reads it), without its page cache.
  const built = process.env.NEXT_DIST_DIR || '.next';
  const skip = new Set([path.join(built, 'cache'), path.join(built, 'server', 'route-cache')]);
  fs.cpSync(built, distDir, { recursive: true, filter: (source) => !skip.has(source) });
  if (user) chownTree(dir, user);
  const port = await freePort('127.0.0.1');
  const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', host, '-p', String(port)], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      NEXT_DIST_DIR: distDir,
      DATABASE_PATH: path.join(dir, 'blog.db'),
      AUTH_SECRET: 'e2e-own-server-secret-0123456789abcdef',
      SITE_URL: `http://localhost:${port}`,
      COMMENT_RATE_LIMIT_DISABLED: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...user,
  });
  const server = { child, pid: child.pid };
  const output = keepOutput(child);
  // Everything it printed, whole lines and all of them: the JSON request log, for specs that read it.
  let log = '';
  child.stdout.on('data', (chunk) => (log += String(chunk)));
  const stop = async () => {
    await stopServer(server, 5_000);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(server, `http://127.0.0.1:${port}/`, 60_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output()}`);
  }
  return { origin: `http://localhost:${port}`, port, dir, child, output, log: () => log, stop };
}

/** Gives a folder and everything in it to `user`. */
export function chownTree(dir: string, user: { uid: number; gid: number }): void {
  fs.chownSync(dir, user.uid, user.gid);
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    fs.lchownSync(path.join(entry.parentPath, entry.name), user.uid, user.gid);
  }
}

/** nginx with the shipped config, on loopback, in front of `upstream` (host:port). */
export async function startNginx(upstream: string, port?: number): Promise<OwnServer> {
  const dir = openTempDir('e2e-nginx-');
  const listen = port ?? (await freePort('127.0.0.1'));
  const values: Record<string, string> = {
    __LISTEN__: `127.0.0.1:${listen}`,
    __UPSTREAM__: upstream,
    __CACHE_DIR__: path.join(dir, 'cache'),
    __RUN_DIR__: dir,
  };
  let conf = fs.readFileSync('deploy/nginx.conf', 'utf8');
  for (const [placeholder, value] of Object.entries(values)) conf = conf.replaceAll(placeholder, value);
  fs.writeFileSync(path.join(dir, 'nginx.conf'), conf);
  if (!nginxBin) throw new Error(NO_NGINX);
  const child = spawn(nginxBin, ['-c', path.join(dir, 'nginx.conf'), '-p', `${dir}/`, '-g', 'daemon off;'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = { child, pid: child.pid };
  const output = () => `${keep()}\n${fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : ''}`;
  const keep = keepOutput(child);
  const stop = async () => {
    await stopServer(server, 5_000);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const origin = `http://localhost:${listen}`;
  for (let i = 0; i < 40; i += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${listen}/`)).status === 200) return { origin, output, stop };
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  const text = output();
  await stop();
  throw new Error(`nginx did not answer within 10 s\n${text}`);
}
