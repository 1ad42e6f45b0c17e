// `npm test`: lint, typecheck, unit and integration tests, production build, then e2e in
// Chromium. Every step runs even when an earlier one fails, so one run shows everything, and
// the last line is the combined count in the plain form "tests: N passed, N failed".
import { spawn } from 'node:child_process';
import fs from 'node:fs';

process.env.NEXT_TELEMETRY_DISABLED = '1';

/** Runs a command, echoing its output, and resolves with its exit code and the text it printed. */
function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let output = '';
    const echo = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', echo(process.stdout));
    child.stderr.on('data', echo(process.stderr));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
    child.on('error', (error) => resolve({ code: 1, output: String(error) }));
  });
}

const totals = { passed: 0, failed: 0 };
const failedSteps = [];

async function step(name, command, args, count) {
  console.log(`\n=== ${name} ===`);
  const { code, output } = await run(command, args);
  const counted = count?.(output);
  if (counted) {
    totals.passed += counted.passed;
    totals.failed += counted.failed;
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
  return Number.isNaN(passed) || Number.isNaN(failed) ? null : { passed, failed };
}

/** Playwright's JSON reporter writes its stats to test-results/e2e.json. */
function countPlaywrightTests() {
  try {
    const { stats } = JSON.parse(fs.readFileSync('test-results/e2e.json', 'utf8'));
    return { passed: stats.expected + stats.flaky, failed: stats.unexpected };
  } catch {
    return null;
  }
}

const node = process.execPath;
await step('lint', node, ['node_modules/eslint/bin/eslint.js', '.']);
await step('typecheck', node, ['node_modules/typescript/bin/tsc', '--noEmit']);
await step('unit and integration tests', 'npm', ['run', '-s', 'test:unit'], countNodeTests);
await step('production build', node, ['node_modules/next/dist/bin/next', 'build']);
if (failedSteps.includes('production build')) {
  console.log('\nSkipping e2e: the production build failed.');
  totals.failed += 1;
} else {
  fs.rmSync('test-results/e2e.json', { force: true });
  await step('e2e (Playwright, Chromium)', node, ['node_modules/@playwright/test/cli.js', 'test'], countPlaywrightTests);
}

console.log(failedSteps.length ? `\nFailed steps: ${failedSteps.join(', ')}` : '\nAll steps passed.');
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(failedSteps.length || totals.failed ? 1 : 0);
