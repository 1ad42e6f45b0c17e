/*
 * The checks `npm start` and `npm run serve` make before anything else, so a newcomer's first
 * failure is one line that says what to do, not a stack trace from deep inside Next:
 * - a Node older than package.json's `engines` (npm install refuses it first, in npm's own
 *   EBADENGINE lines that name both versions: .npmrc sets engine-strict, since npm runs a
 *   package's own preinstall only after its dependencies' native builds);
 * - a port another program holds.
 * This file imports nothing from node_modules at its top, so it runs on any Node, even before
 * the install finished.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { parseArgs } from 'node:util';

const ROOT = new URL('../../', import.meta.url);

/** Stops the process with one line on stderr. */
export function stop(line) {
  console.error(line);
  process.exit(1);
}

/**
 * semver from this project's dependencies, else, before `npm install`, npm's own copy (npm tells
 * its scripts where it runs from), so an old Node is named even on a fresh clone.
 */
async function loadSemver() {
  try {
    return { semver: (await import('semver')).default, installed: true };
  } catch {
    try {
      return { semver: createRequire(process.env.npm_execpath)('semver'), installed: false };
    } catch {
      return { semver: null, installed: false };
    }
  }
}

/** The one-line refusal for a Node outside `engines` or for missing dependencies, or null. */
export async function nodeVersionProblem() {
  const version = process.versions.node;
  const wanted = JSON.parse(fs.readFileSync(new URL('package.json', ROOT), 'utf8')).engines.node;
  const { semver, installed } = await loadSemver();
  if (semver && !semver.satisfies(version, wanted)) {
    return `This blog needs Node ${wanted}, and this is Node ${version}: install a supported Node (https://nodejs.org), then run \`npm install\` again.`;
  }
  if (!installed) return `Dependencies are not installed: run \`npm install\` first (this blog needs Node ${wanted}, and this is Node ${version}).`;
  return null;
}

/**
 * The port and address `next start` will use, read from the same arguments and PORT variable
 * Next reads (-p/--port, -H/--hostname; 3000 and every address by default).
 */
export function listenTarget(args = process.argv.slice(2), env = process.env) {
  const { values } = parseArgs({
    args,
    strict: false,
    allowPositionals: true,
    options: { port: { type: 'string', short: 'p' }, hostname: { type: 'string', short: 'H' } },
  });
  const port = Number(values.port ?? env.PORT ?? 3000);
  return { port, host: typeof values.hostname === 'string' ? values.hostname : undefined, portArgument: values.port !== undefined };
}

/**
 * Whether something already listens there: binds and lets go at once. A program that takes the
 * port in the moment between is still refused, by Next's own error.
 */
function portProblem({ port, host, portArgument }) {
  // The command the reader typed, with the way they chose the port.
  const command = process.env.npm_lifecycle_event === 'serve' ? 'npm run serve' : 'npm start';
  const other = port === 3000 ? 3001 : port + 1;
  const instead = portArgument ? `${command} -- -p ${other}` : `PORT=${other} ${command}`;
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (error) => {
      if (error.code === 'EADDRINUSE') {
        const where = host ? `${host}:${port}` : `port ${port}`;
        resolve(`Cannot start: ${where} is already in use by another program. Stop it, or pick another port: ${instead}`);
      } else if (error.code === 'EACCES') {
        resolve(`Cannot start: this user may not listen on port ${port}. Pick a port above 1023: ${portArgument ? `${command} -- -p 3000` : `PORT=3000 ${command}`}`);
      } else resolve(null); // Next reports anything else in its own words
    });
    try {
      probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(null)));
    } catch {
      resolve(null); // not a port number: the settings check (app/_lib/config.mjs) names it
    }
  });
}

/** Both checks; the first problem stops the process. */
export async function preflight({ checkPort = true } = {}) {
  const nodeProblem = await nodeVersionProblem();
  if (nodeProblem) stop(nodeProblem);
  if (checkPort) {
    const problem = await portProblem(listenTarget());
    if (problem) stop(problem);
  }
}
