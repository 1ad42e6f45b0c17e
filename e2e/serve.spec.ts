import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort, keepOutput, stopServer, waitUntilReady } from '../scripts/lib/next-process.mjs';

/*
 * `npm run serve` twice in a row with nothing changed (issue 19): the first builds, the second
 * starts the same build at once. Its own build folder and database, so the suite's build and
 * server are not touched; the times are reported beside each other in the test's annotations.
 */
test('a second npm run serve with no change starts without building', async () => {
  test.setTimeout(20 * 60_000);
  fs.mkdirSync('.test-data', { recursive: true });
  const dir = fs.mkdtempSync(path.join('.test-data', 'serve-'));
  const distDir = path.join(dir, 'next');

  async function serve() {
    const port = await freePort('127.0.0.1');
    const started = performance.now();
    const child = spawn(process.execPath, ['scripts/serve.mjs', '-H', '127.0.0.1', '-p', String(port)], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', NEXT_DIST_DIR: distDir, DATABASE_PATH: path.join(dir, 'blog.db'), npm_lifecycle_event: 'serve' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = { child, pid: child.pid };
    const output = keepOutput(child, 2000);
    try {
      await waitUntilReady(server, `http://127.0.0.1:${port}/`, 15 * 60_000);
      return { seconds: (performance.now() - started) / 1000, output: output(), buildId: fs.readFileSync(path.join(distDir, 'BUILD_ID'), 'utf8') };
    } finally {
      await stopServer(server, 10_000);
    }
  }

  try {
    const first = await serve();
    const second = await serve();
    test.info().annotations.push({ type: 'npm run serve', description: `first (build and start) ${first.seconds.toFixed(1)} s, second (start) ${second.seconds.toFixed(1)} s` });
    expect(first.output).toContain(`Building into ${distDir}`);
    expect(second.output).toContain(`The build in ${distDir} was made from these files: starting without building.`);
    expect(second.output).not.toContain('Building into');
    expect(second.buildId).toBe(first.buildId);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
