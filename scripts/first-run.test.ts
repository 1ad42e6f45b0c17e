/*
 * What a newcomer meets on a first run (issue 19): the start scripts' one-line refusals, the
 * build fingerprint behind `npm run serve`'s second start, and `npm test`'s choice of Chromium.
 * Every case runs the real script in a child process, as npm would.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import semver from 'semver';
import { sourceFingerprint } from './lib/build-stamp.mjs';
import { NO_BROWSER_LINE } from './lib/test-browser.mjs';

const execFileP = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const temps: string[] = [];
after(() => temps.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
const tempDir = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
};

/** Runs a script as `npm <event>` would, and what it printed; it must end on its own. */
async function runScript(script: string, args: string[], env: Record<string, string>, timeout = 60_000) {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A port this test holds, as another program would. */
async function heldPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as net.AddressInfo;
  return { port, release: () => new Promise((resolve) => server.close(() => resolve())) };
}

const oneLine = (text: string) => text.trim().split('\n');

describe('a Node older than package.json allows', () => {
  for (const [event, script] of [
    ['start', 'scripts/start.mjs'],
    ['serve', 'scripts/serve.mjs'],
  ] as const) {
    it(`npm ${event === 'start' ? 'start' : 'run serve'} stops with one line naming the version found and the one needed`, async () => {
      const { code, stdout, stderr } = await runScript(script, [], { NODE_VERSION_UNDER_TEST: '18.20.4', npm_lifecycle_event: event });
      assert.equal(code, 1);
      assert.deepEqual(oneLine(stderr), [`This blog needs Node ${pkg.engines.node}, and this is Node 18.20.4: install a supported Node (https://nodejs.org), then run \`npm install\` again.`]);
      assert.doesNotMatch(stdout, /Building|Ready/);
    });
  }

  it('npm install refuses it before any native build: engine-strict, and engines no wider than any dependency allows', () => {
    // npm runs a package's own preinstall only after its dependencies' install scripts (tried:
    // better-sqlite3 compiles first), so npm's engine check is what stops an old Node in time.
    assert.match(fs.readFileSync(path.join(ROOT, '.npmrc'), 'utf8'), /^engine-strict=true$/m);
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
    assert.equal(lock.packages[''].engines.node, pkg.engines.node);
    const narrower = Object.entries(lock.packages as Record<string, { engines?: { node?: string }; optional?: boolean }>)
      .filter(([name, entry]) => name && entry.engines?.node && !entry.optional)
      .filter(([, entry]) => !semver.subset(pkg.engines.node, entry.engines!.node!))
      .map(([name, entry]) => `${name} wants ${entry.engines!.node}`);
    // With engine-strict, any of these would refuse a Node that package.json promises to run on.
    assert.deepEqual(narrower, []);
  });

  it('the running Node is one package.json allows', () => {
    assert.ok(semver.satisfies(process.versions.node, pkg.engines.node), `${process.versions.node} vs ${pkg.engines.node}`);
  });
});

describe('a port another program holds', () => {
  it('npm start -- -p N says which port and how to pick another, without a stack trace', async () => {
    const held = await heldPort();
    try {
      const { code, stdout, stderr } = await runScript('scripts/start.mjs', ['-p', String(held.port)], { npm_lifecycle_event: 'start' });
      assert.equal(code, 1);
      assert.deepEqual(oneLine(stderr), [`Cannot start: port ${held.port} is already in use by another program. Stop it, or pick another port: npm start -- -p ${held.port + 1}`]);
      assert.equal(stdout, '');
    } finally {
      await held.release();
    }
  });

  it('PORT=N npm run serve says so before it builds anything', async () => {
    const held = await heldPort();
    try {
      const { code, stdout, stderr } = await runScript('scripts/serve.mjs', ['-H', '127.0.0.1'], { PORT: String(held.port), npm_lifecycle_event: 'serve', NEXT_DIST_DIR: '.next-never-built' });
      assert.equal(code, 1);
      assert.deepEqual(oneLine(stderr), [`Cannot start: 127.0.0.1:${held.port} is already in use by another program. Stop it, or pick another port: PORT=${held.port + 1} npm run serve`]);
      assert.doesNotMatch(stdout, /Building/);
      assert.equal(fs.existsSync(path.join(ROOT, '.next-never-built')), false);
    } finally {
      await held.release();
    }
  });
});

describe("the build fingerprint behind npm run serve's second start", () => {
  function project() {
    const dir = tempDir('fingerprint-');
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    write('app/page.tsx', 'export default function Page() { return null; }\n');
    write('app/page.test.ts', '// a test\n');
    write('README.md', '# readme\n');
    write('tsconfig.json', JSON.stringify({ include: ['**/*.ts', '.next/types/**/*.ts'] }));
    write('node_modules/.package-lock.json', '{"packages":{}}');
    write('.next/BUILD_ID', 'x');
    return { dir, write };
  }

  it('stays the same for files a build does not read, and what a build itself rewrites', () => {
    const { dir, write } = project();
    const before = sourceFingerprint(dir);
    write('app/page.test.ts', '// another test\n');
    write('README.md', '# edited\n');
    write('.next/BUILD_ID', 'y');
    write('data/blog.db', 'rows');
    // next build adds its dist folder's types to the include list.
    write('tsconfig.json', JSON.stringify({ include: ['**/*.ts', '.next/types/**/*.ts', '.test-data/serve/next/types/**/*.ts'] }));
    assert.equal(sourceFingerprint(dir), before);
  });

  it('changes with an edit, a new file, or another set of installed dependencies', () => {
    const { dir, write } = project();
    const seen = new Set([sourceFingerprint(dir)]);
    write('app/page.tsx', 'export default function Page() { return <p />; }\n');
    seen.add(sourceFingerprint(dir));
    write('app/new/page.tsx', 'export default function New() { return null; }\n');
    seen.add(sourceFingerprint(dir));
    write('node_modules/.package-lock.json', '{"packages":{"node_modules/x":{}}}');
    seen.add(sourceFingerprint(dir));
    assert.equal(seen.size, 4);
  });
});

describe("npm test's Chromium", () => {
  it('with the system Chromium hidden and no download possible: one line says what to run, and the other steps still run and count', async () => {
    const browsers = tempDir('no-browsers-');
    const { code, stdout } = await runScript('scripts/test.mjs', ['--only', 'typecheck,e2e'], {
      E2E_CHROMIUM: 'playwright',
      PLAYWRIGHT_BROWSERS_PATH: browsers,
      // Nothing listens there: the download fails here as on a machine without internet.
      PLAYWRIGHT_DOWNLOAD_HOST: 'http://127.0.0.1:9',
    }, 5 * 60_000);
    assert.equal(code, 1);
    assert.match(stdout, /=== typecheck ===/);
    assert.ok(stdout.includes(`\n${NO_BROWSER_LINE}\n`), stdout.slice(-2000));
    assert.doesNotMatch(stdout, /=== e2e \(Playwright/);
    assert.equal(oneLine(stdout).at(-1), 'tests: 1 passed, 1 failed');
  });

  it("with the system Chromium hidden and Playwright's installed: Playwright's is chosen", { skip: !fs.existsSync('/usr/bin/chromium') && 'needs a Chromium to stand in as Playwright\'s' }, () => {
    const browsers = tempDir('browsers-');
    const env = { ...process.env, E2E_CHROMIUM: 'playwright', PLAYWRIGHT_BROWSERS_PATH: browsers };
    const resolve = () =>
      spawnSync(process.execPath, ['--input-type=module', '-e', "const { browserForE2e } = await import('./scripts/lib/test-browser.mjs'); console.log(JSON.stringify(browserForE2e(() => {})));"], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
      });
    const where = spawnSync(process.execPath, ['-e', "console.log(require('@playwright/test').chromium.executablePath())"], { cwd: ROOT, env, encoding: 'utf8' }).stdout.trim();
    assert.ok(where.startsWith(browsers), where);
    // A real Chromium where Playwright keeps its own: this machine cannot download Playwright's build.
    fs.mkdirSync(path.dirname(where), { recursive: true });
    fs.symlinkSync('/usr/bin/chromium', where);
    const chosen = JSON.parse(resolve().stdout);
    assert.deepEqual(chosen, { path: where, source: 'playwright' });
  });
});
