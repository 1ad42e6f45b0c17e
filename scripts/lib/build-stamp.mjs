/*
 * Whether the production build in the dist folder was made from the files here now. `npm run
 * serve` builds only when it was not, so a second start with nothing changed starts at once,
 * and an edit, a `git pull` or an `npm install` makes it build again.
 *
 * The fingerprint hashes the content (not the times: a checkout rewrites those) of every file
 * the build can read: the whole project except the folders below, which hold dependencies,
 * builds, data and test output. Installed dependencies count through npm's own record of them
 * (node_modules/.package-lock.json).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Never read by a build, or rewritten by one (next-env.d.ts, tsconfig.json's generated include). */
const SKIPPED = new Set(['node_modules', '.git', 'data', 'test-results', 'playwright-report', '.bench', '.test-data', 'docs', 'deploy', '.ci', 'e2e', 'next-env.d.ts', 'tsconfig.tsbuildinfo']);
const skipped = (name) => SKIPPED.has(name) || name.startsWith('.next') || name.endsWith('.test.ts') || name === 'README.md';

function filesUnder(root, dir = '', out = []) {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    if (skipped(entry.name)) continue;
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(root, rel, out);
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/**
 * Stripped of the build folders' type globs (".next/types/**\/*.ts"), which `next build` adds to
 * tsconfig.json's include for whatever dist folder it builds into.
 */
function tsconfigWithoutDist(text) {
  try {
    const config = JSON.parse(text);
    config.include = (config.include ?? []).filter((entry) => !/\/types\/\*\*\/\*\.ts$/.test(entry));
    return JSON.stringify(config);
  } catch {
    return text;
  }
}

/** A hash of every build input under root, and of the settings a build reads. */
export function sourceFingerprint(root) {
  const hash = crypto.createHash('sha256');
  for (const file of filesUnder(root).sort()) {
    const text = fs.readFileSync(path.join(root, file));
    hash.update(`${file}\0`);
    hash.update(file === 'tsconfig.json' ? tsconfigWithoutDist(text.toString('utf8')) : text);
    hash.update('\0');
  }
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  hash.update(fs.existsSync(installed) ? fs.readFileSync(installed) : 'no dependencies');
  // Inlined into the client bundles at build time.
  for (const [name, value] of Object.entries(process.env).filter(([name]) => name.startsWith('NEXT_PUBLIC_')).sort()) hash.update(`${name}=${value}\0`);
  hash.update(`node ${process.versions.node}`);
  return hash.digest('hex');
}

const STAMP = 'source-fingerprint.json';

/** Records what a finished build was made from, and how long it took. */
export function writeStamp(distDir, fingerprint, buildMs) {
  fs.writeFileSync(path.join(distDir, STAMP), JSON.stringify({ fingerprint, buildMs, builtAt: new Date().toISOString() }));
}

/** The stamp of the build in distDir, or null when there is no complete build. */
export function readStamp(distDir) {
  if (!fs.existsSync(path.join(distDir, 'BUILD_ID'))) return null;
  try {
    return JSON.parse(fs.readFileSync(path.join(distDir, STAMP), 'utf8'));
  } catch {
    return null;
  }
}
