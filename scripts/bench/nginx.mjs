/*
 * The bench's own nginx: deploy/nginx.conf rendered into a temporary folder that nginx's workers
 * can read wherever the checkout is, started as our child, and its access log counted.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { keepOutput, readOrNull, sleep } from '../lib/next-process.mjs';
import { BenchError, EDGE, HOST, NGINX_EXTRA_MARKER, NGINX_PLACEHOLDERS, ROOT } from './config.mjs';
import { get } from './measure.mjs';
import { findExecutable, track } from './processes.mjs';

/** nginx lives in /usr/sbin on Debian, which is not on every user's PATH. */
export const findNginx = () => findExecutable('nginx', ['/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin']);

/**
 * A fresh folder for nginx's configuration, cache, logs and the static baseline, under the
 * system's temporary folder. Started as root, nginx's workers run as another user (www-data,
 * or nobody): they could not reach files inside a checkout that only its owner can read, such as
 * one in root's home folder, so nothing they touch lives there.
 */
export function makeRunDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-nginx-'));
  const staticDir = path.join(dir, 'static');
  fs.mkdirSync(staticDir);
  fs.chmodSync(dir, 0o755);
  fs.chmodSync(staticDir, 0o755);
  return { dir, staticDir };
}

/** Copies the rendered nginx.conf and error.log into .bench/nginx for inspection, then removes the run folder. */
export function keepAndRemove(dir) {
  fs.rmSync(EDGE.keepDir, { recursive: true, force: true });
  fs.mkdirSync(EDGE.keepDir, { recursive: true });
  for (const name of ['nginx.conf', 'error.log']) {
    if (fs.existsSync(path.join(dir, name))) fs.copyFileSync(path.join(dir, name), path.join(EDGE.keepDir, name));
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * deploy/nginx.conf with its placeholders filled in, plus the baseline's location: the article's
 * bytes from a file (article.html, and article.html.gz for clients that accept gzip).
 */
export function renderEdgeConf({ listen, upstream, dir, staticDir }) {
  const template = readOrNull(path.join(ROOT, EDGE.template));
  if (template === null) throw new BenchError(`${EDGE.template} not found`);
  const missing = NGINX_PLACEHOLDERS.filter((p) => !template.includes(p));
  if (template.split(NGINX_EXTRA_MARKER).length !== 2) missing.push(`exactly one "${NGINX_EXTRA_MARKER}" line`);
  if (missing.length) throw new BenchError(`${EDGE.template} lacks ${missing.join(', ')}, which the bench fills in`);
  const values = {
    __LISTEN__: listen,
    __UPSTREAM__: upstream,
    __CACHE_DIR__: path.join(dir, 'cache'),
    __RUN_DIR__: dir,
  };
  const staticLocation = [
    `location = ${EDGE.staticUrl} {`,
    `            root ${staticDir};`,
    '            try_files /article.html =404;',
    '            default_type "text/html; charset=utf-8";',
    '            gzip_static on;',
    '        }',
  ].join('\n');
  let conf = template.replace(NGINX_EXTRA_MARKER, staticLocation);
  for (const [placeholder, value] of Object.entries(values)) conf = conf.replaceAll(placeholder, value);
  const file = path.join(dir, 'nginx.conf');
  fs.writeFileSync(file, conf);
  return file;
}

/** `nginx -c <conf> -p <dir> -g 'daemon off;'`: the master stays our child, stopped by its PID. */
export function startNginx(bin, conf, dir, port) {
  const child = track(spawn(bin, ['-c', conf, '-p', `${dir}/`, '-g', 'daemon off;'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }));
  const printed = keepOutput(child);
  const errorLog = () => (readOrNull(path.join(dir, 'error.log')) ?? '').split('\n').filter(Boolean);
  const output = () => [printed(), ...errorLog().slice(-20)].filter(Boolean).join('\n');
  return { child, pid: child.pid, port, origin: `http://${HOST}:${port}`, output, errorLog };
}

export async function waitForNginx(nginx) {
  const deadline = Date.now() + EDGE.readyTimeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (nginx.child.exitCode !== null || nginx.child.signalCode !== null) {
      throw new BenchError(`nginx exited (${nginx.child.exitCode ?? nginx.child.signalCode}) before answering`);
    }
    try {
      const { status } = await get(nginx.origin + EDGE.staticUrl);
      if (status === 200) return;
      last = `status ${status}`;
    } catch (error) {
      last = error.message;
    }
    await sleep(100);
  }
  throw new BenchError(`nginx did not answer GET ${EDGE.staticUrl} with 200 within ${EDGE.readyTimeoutMs / 1000} s (${last})`);
}

/** X-Cache-Status per URL from the access log (flushed when nginx stops), which is then removed: it can be large. */
export async function countEdgeLog(file) {
  const counts = {};
  if (!fs.existsSync(file)) return { counts, lines: 0 };
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let total = 0;
  for await (const line of lines) {
    total += 1;
    const match = line.match(/"[A-Z]+ (\S+) [^"]*" (\d{3}) \d+ cache=(\S+)/);
    if (!match || (match[1] !== EDGE.url && match[1] !== EDGE.staticUrl)) continue;
    const key = match[1] === EDGE.url ? 'page' : 'static';
    counts[key] ??= {};
    const label = `${match[2]} ${match[3]}`;
    counts[key][label] = (counts[key][label] ?? 0) + 1;
  }
  fs.rmSync(file, { force: true });
  return { counts, lines: total };
}
