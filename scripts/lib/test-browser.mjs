/*
 * Which Chromium `npm test` runs e2e in: the system one (scripts/lib/chromium.mjs), else
 * Playwright's own, downloaded with `playwright install chromium` when it is missing. When
 * neither can be had (no Chromium and no internet), e2e is not run and the reason is one line
 * that says what to run; the other steps of `npm test` are not affected.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { systemChromium } from './chromium.mjs';

const require = createRequire(import.meta.url);
const INSTALL_LIMIT_MS = 10 * 60_000;

export const NO_BROWSER_LINE =
  'e2e not run: there is no Chromium here and Playwright could not download its own. Run `npx playwright install chromium` on a machine with internet (or install Chromium, e.g. `apt-get install chromium`), then `npm test` again.';

function playwrightChromium() {
  // Where Playwright keeps its browser: it honours PLAYWRIGHT_BROWSERS_PATH.
  const { chromium } = require('@playwright/test');
  return chromium.executablePath();
}

/**
 * { path, source } for the browser to use, or { problem } with the one line to print.
 * `log` receives what the download prints, so a failure shows its cause above the line.
 */
export function browserForE2e(log = (text) => process.stdout.write(text)) {
  if (systemChromium) return fs.existsSync(systemChromium) ? { path: systemChromium, source: 'system' } : { problem: `e2e not run: E2E_CHROMIUM names ${systemChromium}, which does not exist.` };
  const own = playwrightChromium();
  if (fs.existsSync(own)) return { path: own, source: 'playwright' };
  log(`No system Chromium, and Playwright's is not installed: running \`playwright install chromium\` ...\n`);
  const install = spawnSync(process.execPath, [require.resolve('@playwright/test/cli'), 'install', 'chromium'], { encoding: 'utf8', timeout: INSTALL_LIMIT_MS });
  if (install.status === 0 && fs.existsSync(own)) return { path: own, source: 'playwright' };
  // Its first error line says why (no network, a proxy, the disk), without the stack under it.
  const why = `${install.stdout ?? ''}\n${install.stderr ?? ''}`.split('\n').find((line) => /error/i.test(line)) ?? `exit ${install.status ?? install.signal}`;
  log(`The download failed: ${why.trim()}\n`);
  return { problem: NO_BROWSER_LINE };
}
