import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';

// The bench's modules find the checkout from their own location, so a copy of them (with the
// nginx template they render) in a folder only its owner can read is a checkout there.
const checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-private-'));
fs.chmodSync(checkout, 0o700);
after(() => fs.rmSync(checkout, { recursive: true, force: true }));
for (const part of ['scripts/bench', 'scripts/lib', 'deploy']) fs.cpSync(part, path.join(checkout, part), { recursive: true });

const load = (file: string) => import(pathToFileURL(path.join(checkout, file)).href);
const nginx = await load('scripts/bench/nginx.mjs');
const { stopServer, freePort } = await load('scripts/lib/next-process.mjs');
const bin: string | null = nginx.findNginx();

describe('the bench edge nginx', () => {
  it('serves its static baseline from a checkout in a folder only its owner can read', { skip: bin ? false : 'nginx is not installed' }, async () => {
    const { dir, staticDir } = nginx.makeRunDir();
    const html = '<!doctype html><title>baseline</title><p>The static article.</p>';
    fs.writeFileSync(path.join(staticDir, 'article.html'), html);
    const port = await freePort('127.0.0.1');
    // No origin is needed to serve the static file; the upstream only has to be well formed.
    const conf = nginx.renderEdgeConf({ listen: `127.0.0.1:${port}`, upstream: '127.0.0.1:9', dir, staticDir });
    const server = nginx.startNginx(bin, conf, dir, port);
    try {
      await nginx.waitForNginx(server);
      const answer = await fetch(`${server.origin}/static-article.html`);
      assert.equal(answer.status, 200);
      assert.equal(await answer.text(), html);
      assert.deepEqual(server.errorLog().filter((line: string) => /\[(crit|error)\]/.test(line)), []);
    } finally {
      await stopServer(server, 5_000);
      nginx.keepAndRemove(dir);
    }
    assert.ok(fs.existsSync(path.join(checkout, '.bench/nginx/nginx.conf')), 'the rendered configuration is kept in .bench/nginx');
    assert.equal(fs.existsSync(dir), false, 'the temporary folder is removed');
  });
});
