/* The bench's production build in .bench/next, and the first-load JavaScript it reports. */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { guardTypeFiles, readOrNull } from '../lib/next-process.mjs';
import { BenchError, BUNDLE_ROUTES, DIST_DIR, NEXT_BIN, ROOT } from './config.mjs';
import { cleanups, nextEnv, run } from './processes.mjs';

/** Builds into .bench/next unless --no-build asked to reuse an existing build. Returns seconds, or null if skipped. */
export async function build(skipRequested, notes) {
  const hasBuild = fs.existsSync(path.join(ROOT, DIST_DIR, 'BUILD_ID'));
  if (skipRequested && hasBuild) {
    console.log(`Reusing the build in ${DIST_DIR} (--no-build).`);
    return null;
  }
  if (skipRequested) console.log(`--no-build given but ${DIST_DIR} has no build; building.`);
  console.log(`Building into ${DIST_DIR} ...`);

  const restore = guardTypeFiles(ROOT, DIST_DIR);
  cleanups.add(restore);
  let result;
  try {
    result = await run(process.execPath, [NEXT_BIN, 'build'], { env: nextEnv() });
  } finally {
    cleanups.delete(restore);
    for (const note of restore()) {
      console.log(note);
      notes.push(note);
    }
  }
  if (result.code !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new BenchError(`next build failed (exit ${result.code ?? result.signal})`);
  }
  console.log(`Built in ${result.seconds.toFixed(1)} s.`);
  return result.seconds;
}

/**
 * Next 16 no longer prints route sizes; it writes diagnostics/route-bundle-stats.json, an array of
 * { route, firstLoadUncompressedJsBytes, firstLoadChunkPaths }. Gzip each chunk ourselves, one by
 * one as the browser fetches them, to get the transfer size.
 */
export function firstLoadJs() {
  const file = path.join(ROOT, DIST_DIR, 'diagnostics/route-bundle-stats.json');
  const text = readOrNull(file);
  if (text === null) return { error: `${path.relative(ROOT, file)} not found` };
  const stats = JSON.parse(text);
  const routes = [];
  for (const route of BUNDLE_ROUTES) {
    const entry = stats.find((s) => s.route === route);
    if (!entry) continue;
    const chunks = entry.firstLoadChunkPaths.map(chunkFile);
    const missing = chunks.filter((c) => c === null).length;
    routes.push({
      route,
      chunks: chunks.length,
      rawBytes: entry.firstLoadUncompressedJsBytes,
      gzipBytes: missing ? null : chunks.reduce((sum, c) => sum + zlib.gzipSync(fs.readFileSync(c)).length, 0),
      ...(missing ? { error: `${missing} chunk file(s) not found` } : {}),
    });
  }
  return { routes };
}

/** Chunk paths are written relative to the project root; fall back to resolving them inside the build folder. */
function chunkFile(recorded) {
  const candidates = [path.resolve(ROOT, recorded)];
  const staticAt = recorded.indexOf('static/');
  if (staticAt !== -1) candidates.push(path.join(ROOT, DIST_DIR, recorded.slice(staticAt)));
  return candidates.find((c) => fs.existsSync(c)) ?? null;
}
