// `npm test`: lint, typecheck, unit and integration tests, production build, then e2e in
// Chromium. Every step runs even when an earlier one fails, so one run shows everything, and
// the last line is the combined count in the plain form "tests: N passed, N failed".
// `npm test -- --only lint,e2e` runs just the steps named (lint, typecheck, unit, build, e2e).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { browserForE2e } from './lib/test-browser.mjs';

process.env.NEXT_TELEMETRY_DISABLED = '1';

/** The running step, in its own process group, which a Ctrl-C in the terminal no longer reaches. */
let current = null;
function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
const GRACE_MS = 15_000;
/**
 * Stops a step and everything it started: SIGINT first, as Ctrl-C would, so Playwright stops the
 * web servers it started (they run in process groups of their own, which a signal to this group
 * misses, and a server left running holds its port for the next run; on SIGTERM Playwright exits
 * without stopping them: tried, the app and the OIDC provider kept their ports), then SIGKILL
 * for what is still there.
 */
function stopGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    signalGroup(child, 'SIGKILL');
    return Promise.resolve();
  }
  signalGroup(child, 'SIGINT');
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signalGroup(child, 'SIGKILL');
      resolve();
    }, GRACE_MS);
    child.once('close', () => {
      clearTimeout(timer);
      signalGroup(child, 'SIGKILL');
      resolve();
    });
  });
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (current) await stopGroup(current);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

/**
 * Runs a command, echoing its output, and resolves with its exit code and the text it printed.
 * A step still running after `limitMs` is killed with everything it started (its own process
 * group: `npm run` leaves the test runner as a grandchild) and counts as failed, so a hung test
 * cannot hold CI until the job's own timeout.
 */
function run(command, args, limitMs) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env, detached: true });
    current = child;
    let output = '';
    let timedOut = false;
    const echo = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\n${command} ${args.join(' ')}: still running after ${limitMs / 60_000} min, stopped.`);
      void stopGroup(child);
    }, limitMs);
    child.stdout.on('data', echo(process.stdout));
    child.stderr.on('data', echo(process.stderr));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: timedOut ? 1 : (code ?? (signal ? 1 : 0)), output, timedOut });
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: 1, output: String(error) });
    });
  });
}

const MINUTE = 60_000;
/**
 * Overall limits per step, far above a normal run; the unit tests also have a per-test limit in
 * package.json. The e2e step took 41 minutes for 282 tests on 2 cores (one of them a second
 * production build, e2e/serve.spec.ts), so it has 65, which still ends a stuck run inside CI's 90
 * with the install and the other steps (about 15 minutes together).
 */
const STEP_LIMIT_MS = 30 * MINUTE;
const UNIT_LIMIT_MS = 10 * MINUTE;
const E2E_LIMIT_MS = 65 * MINUTE;

const totals = { passed: 0, failed: 0 };
const failedSteps = [];

async function step(name, command, args, count, limitMs = STEP_LIMIT_MS) {
  console.log(`\n=== ${name} ===`);
  const { code, output, timedOut } = await run(command, args, limitMs);
  // A killed step's partial counts would hide the test that hung: count it as one failure.
  const counted = timedOut ? null : count?.(output);
  if (counted) {
    totals.passed += counted.passed;
    totals.failed += counted.failed;
    // A test skipped for want of a tool (nginx, a Chromium to stand in) is fine on a laptop;
    // CI installs every tool, so there a skip means a part went untested.
    if (counted.skipped && process.env.CI) {
      console.log(`\nCI: ${counted.skipped} test(s) of "${name}" were skipped; in CI every test must run.`);
      totals.failed += counted.skipped;
      if (code === 0) failedSteps.push(`${name} (skipped tests)`);
    } else if (counted.skipped) console.log(`\n${counted.skipped} test(s) of "${name}" skipped (see the reasons above).`);
  } else {
    // A step without its own tests (lint, typecheck, build) counts as one check.
    totals[code === 0 ? 'passed' : 'failed'] += 1;
  }
  if (code !== 0) {
    failedSteps.push(name);
    if (counted && counted.failed === 0) totals.failed += 1; // it failed without a failing test
  }
}

/** Node's test runner ends with "# pass N" / "# fail N" (TAP) or "ℹ pass N" (spec). */
function countNodeTests(output) {
  const pick = (word) => Number(output.match(new RegExp(`^[#ℹ] ${word} (\\d+)$`, 'm'))?.[1] ?? NaN);
  const passed = pick('pass');
  const failed = pick('fail');
  return Number.isNaN(passed) || Number.isNaN(failed) ? null : { passed, failed, skipped: pick('skipped') || 0 };
}

/** Playwright's JSON reporter writes its stats to test-results/e2e.json. */
function countPlaywrightTests() {
  try {
    const { stats } = JSON.parse(fs.readFileSync('test-results/e2e.json', 'utf8'));
    return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped };
  } catch {
    return null;
  }
}

const STEPS = ['lint', 'typecheck', 'unit', 'build', 'e2e'];
const only = parseArgs({ options: { only: { type: 'string' } } }).values.only?.split(',').map((name) => name.trim());
const unknown = only?.filter((name) => !STEPS.includes(name)) ?? [];
if (unknown.length) {
  console.error(`npm test: unknown step ${unknown.join(', ')} for --only; the steps are ${STEPS.join(', ')}`);
  process.exit(2);
}
const runs = (name) => !only || only.includes(name);

const node = process.execPath;
if (runs('lint')) await step('lint', node, ['node_modules/eslint/bin/eslint.js', '.']);
if (runs('typecheck')) await step('typecheck', node, ['node_modules/typescript/bin/tsc', '--noEmit']);
if (runs('unit')) await step('unit and integration tests', 'npm', ['run', '-s', 'test:unit'], countNodeTests, UNIT_LIMIT_MS);
if (runs('build')) await step('production build', node, ['node_modules/next/dist/bin/next', 'build']);
if (!runs('e2e')) {
  // nothing more
} else if (failedSteps.includes('production build')) {
  console.log('\nSkipping e2e: the production build failed.');
  totals.failed += 1;
} else {
  console.log('\n=== Chromium for e2e ===');
  const browser = browserForE2e();
  if (browser.problem) {
    // Counted as one failure: the suite did not run, so the run cannot say it passed.
    console.log(browser.problem);
    failedSteps.push('e2e (no browser)');
    totals.failed += 1;
  } else {
    console.log(`Chromium: ${browser.source === 'system' ? 'the system one' : "Playwright's own"}, ${browser.path}`);
    // playwright.config.ts reads the same choice (scripts/lib/chromium.mjs).
    process.env.E2E_CHROMIUM = browser.source === 'system' ? browser.path : 'playwright';
    fs.rmSync('test-results/e2e.json', { force: true });
    await step('e2e (Playwright, Chromium)', node, ['node_modules/@playwright/test/cli.js', 'test'], countPlaywrightTests, E2E_LIMIT_MS);
  }
}

console.log(failedSteps.length ? `\nFailed steps: ${failedSteps.join(', ')}` : '\nAll steps passed.');
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(failedSteps.length || totals.failed ? 1 : 0);
