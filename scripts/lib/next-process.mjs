/*
 * What scripts/bench.mjs and scripts/lighthouse.mjs both need to run a production build of
 * their own: a free loopback port, the build's side effects on tsconfig.json and next-env.d.ts
 * undone, and the server and everything it started stopped by PID.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

export function readOrNull(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port nothing listens on now, on the given loopback host. */
export function freePort(host) {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

export function isRunning(child) {
  return child.exitCode === null && child.signalCode === null;
}

/** Child PIDs from /proc/<pid>/task/<tid>/children, recursively. */
export function descendants(pid) {
  const found = [];
  let tasks = [];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return found;
  }
  for (const tid of tasks) {
    const text = readOrNull(`/proc/${pid}/task/${tid}/children`) ?? '';
    for (const child of text.split(/\s+/).filter(Boolean).map(Number)) found.push(child, ...descendants(child));
  }
  return found;
}

export function killPid(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM, SIGKILL after graceMs, then SIGKILL for anything the server had started. */
export async function stopServer(server, graceMs) {
  const children = descendants(server.pid);
  if (isRunning(server.child)) {
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    const timer = setTimeout(() => server.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  for (const pid of children) killPid(pid, 'SIGKILL');
}

/**
 * `next build` rewrites tsconfig.json and next-env.d.ts to point at its distDir. For a build into
 * another folder that would leave the developer's files pointing there, so snapshot them first
 * and put them back afterwards, but only when the change is exactly Next's distDir edit: if
 * someone else edited a file during the build, theirs wins. restore() returns what it did.
 */
export function guardTypeFiles(root, distDir) {
  const files = ['tsconfig.json', 'next-env.d.ts'].map((name) => {
    const file = path.join(root, name);
    return { name, file, before: readOrNull(file) };
  });
  let done = false;
  return function restore() {
    if (done) return [];
    done = true;
    const notes = [];
    for (const { name, file, before } of files) {
      const after = readOrNull(file);
      if (before === null || after === null || after === before) continue;
      if (isDistDirEdit(name, before, after, distDir)) {
        fs.writeFileSync(file, before);
        notes.push(`restored ${name} after next build pointed it at ${distDir}`);
      } else {
        notes.push(`${name} changed during the build and was left as is; check it`);
      }
    }
    return notes;
  };
}

function isDistDirEdit(name, before, after, distDir) {
  if (name === 'next-env.d.ts') return after.replaceAll(`./${distDir}/`, './.next/') === before;
  try {
    const was = JSON.parse(before);
    const now = JSON.parse(after);
    if (Array.isArray(now.include)) now.include = now.include.filter((entry) => !entry.startsWith(`${distDir}/`));
    return JSON.stringify(was) === JSON.stringify(now);
  } catch {
    return false;
  }
}

/** Keeps the last `max` lines a child prints; returns them joined, for error reports. */
export function keepOutput(child, max = 200) {
  const lines = [];
  const keep = (chunk) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    if (lines.length > max) lines.splice(0, lines.length - max);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return () => lines.join('\n');
}

/** The status of GET url, or null while nothing answers. */
function probe(url) {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, timeout: 10_000 }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode));
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(null));
  });
}

/** Waits for GET url to answer 200; throws a Failure if the server exits or the time runs out. */
export async function waitUntilReady(server, url, timeoutMs, Failure = Error) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(server.child)) throw new Failure(`the server exited (${server.child.exitCode ?? server.child.signalCode}) before answering`);
    if ((await probe(url)) === 200) return;
    await sleep(250);
  }
  throw new Failure(`the server did not answer GET / with 200 within ${timeoutMs / 1000} s`);
}

/** On Ctrl-C or SIGTERM, once: say so, run stop(), and exit with the signal's code. */
export function stopOnSignals(what, stop) {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, async () => {
      if (stopping) return;
      stopping = true;
      console.error(`\n${signal}: stopping ${what} ...`);
      await stop();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}
