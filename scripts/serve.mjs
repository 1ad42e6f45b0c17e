/*
 * `npm run serve`: builds when the build folder was not made from the files here now
 * (scripts/lib/build-stamp.mjs), then starts. A second run with nothing changed starts at once.
 * The checks come first, so a busy port is reported before a build of minutes, not after.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { preflight, stop } from './lib/preflight.mjs';

await preflight();
const { readStamp, sourceFingerprint, writeStamp } = await import('./lib/build-stamp.mjs');
const { guardTypeFiles } = await import('./lib/next-process.mjs');
const { ConfigError, parseSetting } = await import('../app/_lib/config.mjs');

const root = fileURLToPath(new URL('..', import.meta.url));
let distDir;
try {
  distDir = path.join(root, parseSetting('NEXT_DIST_DIR'));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  stop(`[config] ${error.message}`);
}
const fingerprint = sourceFingerprint(root);
if (readStamp(distDir)?.fingerprint === fingerprint) {
  console.log(`The build in ${path.relative(root, distDir)} was made from these files: starting without building.`);
} else {
  console.log(`Building into ${path.relative(root, distDir)} (no build yet, or the files changed since the last one) ...`);
  const started = performance.now();
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  // A build into another folder than .next points tsconfig.json at it: put that back after.
  const restore = guardTypeFiles(root, path.relative(root, distDir));
  const build = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, stdio: 'inherit' });
  restore();
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeStamp(distDir, fingerprint, Math.round(performance.now() - started));
}
await import('./lib/next-start.mjs');
