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

/**
 * Real old Nodes a newcomer may have, each with the npm it ships with, and npm 11 put over one
 * (npm 12 itself refuses every Node that engines refuses). The registry's node-<os>-<arch>
 * packages hold Node's binaries: fetched once, then kept under node_modules/.cache.
 */
const OLD_NODES = [
  { node: '16.20.2', npm: '8.19.4' },
  { node: '18.17.1', npm: '9.6.7' },
  { node: '20.18.1', npm: '10.8.2' },
  { node: '20.18.1', npm: '11.21.3' },
];
const OLD_NODE_CACHE = path.join(ROOT, 'node_modules', '.cache', 'old-node');
// Slow only the first time: three Node downloads of about 40 MB.
const DOWNLOAD_TIMEOUT = 600_000;

/**
 * A registry package unpacked into the cache (its `package` folder, or only the parts named),
 * downloaded if missing.
 */
async function unpacked(spec: string, parts: string[] = []): Promise<string> {
  const dir = path.join(OLD_NODE_CACHE, spec.replace('@', '-'));
  if (fs.existsSync(dir)) return dir;
  fs.mkdirSync(OLD_NODE_CACHE, { recursive: true });
  const work = fs.mkdtempSync(path.join(OLD_NODE_CACHE, '.part-'));
  try {
    const { stdout } = await execFileP('npm', ['pack', spec, '--json', '--pack-destination', work], { cwd: work, maxBuffer: 1 << 26 });
    const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
    await execFileP('tar', ['xzf', path.join(work, filename), '-C', work, ...parts.map((part) => `package/${part}`)]);
    fs.renameSync(path.join(work, 'package'), dir); // whole, or not at all
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return dir;
}

/**
 * Runs the old npm as a newcomer's shell would: its Node first on PATH, and none of the
 * variables the npm running these tests exports to them.
 */
async function oldNpm(old: (typeof OLD_NODES)[number], args: string[], cwd: string, { userConfig = true } = {}) {
  // No Node for Apple silicon in these versions: the x64 one runs there under Rosetta.
  const os = process.platform === 'win32' ? 'win' : process.platform;
  const arch = process.platform === 'darwin' ? 'x64' : process.arch;
  const nodeBin = path.join(await unpacked(`node-${os}-${arch}@${old.node}`, ['bin']), 'bin'); // not its 50 MB of C headers
  const npmCli = path.join(await unpacked(`npm@${old.npm}`), 'bin', 'npm-cli.js');
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|NODE_OPTIONS$|NODE_TEST_CONTEXT$|INIT_CWD$)/i.test(key))) as NodeJS.ProcessEnv;
  env.PATH = `${nodeBin}${path.delimiter}${env.PATH}`;
  // The user's own npm settings (a proxy, a CA) stay for `npm install`; `npm start` needs none,
  // and this machine's may draw warnings from another npm.
  if (!userConfig) env.npm_config_userconfig = path.join(cwd, 'no-user-npmrc');
  try {
    const { stdout, stderr } = await execFileP(path.join(nodeBin, 'node'), [npmCli, ...args], { cwd, env, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A fresh clone as far as npm and the start scripts can tell: no node_modules. */
function freshCopy(): string {
  const dir = tempDir('blog-fresh-');
  for (const entry of ['package.json', 'package-lock.json', '.npmrc', 'scripts']) {
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  return dir;
}

const oldNodeLine = (version: string) =>
  `This blog needs Node ${pkg.engines.node}, and this is Node ${version}: install a supported Node (https://nodejs.org), then run \`npm install\` again.`;

describe('a Node older than package.json allows (real ones, from the npm registry)', () => {
  for (const old of OLD_NODES) {
    it(`Node ${old.node} with npm ${old.npm}: npm install stops before it installs or builds anything, in npm's lines naming the version found and the ones allowed`, { timeout: DOWNLOAD_TIMEOUT }, async () => {
      assert.ok(!semver.satisfies(old.node, pkg.engines.node), `${old.node} is no longer too old: pick an older one`);
      const dir = freshCopy();
      const { code, stdout, stderr } = await oldNpm(old, ['install'], dir);
      const output = stdout + stderr;
      assert.notEqual(code, 0, output);
      // npm 8-11 print the same EBADENGINE block (six lines and a log path); these two name the versions.
      assert.ok(output.includes(`Required: {"node":"${pkg.engines.node}"}`), output);
      assert.match(output, new RegExp(`Actual: +\\{.*"node":"v${old.node.replaceAll('.', '\\.')}"`));
      assert.match(output, /EBADENGINE/);
      // Nothing installed, so better-sqlite3's install script (prebuild-install, node-gyp) never ran.
      assert.equal(fs.existsSync(path.join(dir, 'node_modules')), false, output);
      assert.doesNotMatch(output, /gyp|prebuild|better-sqlite3/);
    });

    it(`Node ${old.node} with npm ${old.npm}: npm start on a fresh clone stops with one line naming both`, { timeout: DOWNLOAD_TIMEOUT }, async () => {
      const { code, stdout, stderr } = await oldNpm(old, ['start'], freshCopy(), { userConfig: false });
      assert.equal(code, 1, stdout + stderr);
      assert.deepEqual(oneLine(stderr), [oldNodeLine(old.node)]);
      assert.doesNotMatch(stdout, /Building|Ready/);
    });
  }

  for (const command of [['start'], ['run', 'serve']]) {
    it(`npm ${command.join(' ')} after an install stops with one line naming the version found and the one needed`, { timeout: DOWNLOAD_TIMEOUT }, async () => {
      const old = OLD_NODES[2]!; // Node 20 just before 20.19, with its npm 10
      const { code, stdout, stderr } = await oldNpm(old, command, ROOT, { userConfig: false });
      assert.equal(code, 1, stdout + stderr);
      assert.deepEqual(oneLine(stderr), [oldNodeLine(old.node)]);
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
