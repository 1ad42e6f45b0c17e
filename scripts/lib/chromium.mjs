/*
 * The browser for e2e (playwright.config.ts) and Lighthouse (scripts/lighthouse.mjs): Debian's
 * Chromium where it is installed, because Playwright cannot download its own on this network;
 * elsewhere null, and each tool uses the browser it ships with.
 *
 * E2E_CHROMIUM chooses instead: `playwright` hides the system Chromium (Playwright's own is
 * used, as on a machine without one), a path names another Chromium.
 */
import fs from 'node:fs';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

function chosen() {
  const choice = process.env.E2E_CHROMIUM?.trim();
  if (choice === 'playwright') return null;
  if (choice) return choice;
  return fs.existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : null;
}

/** The system Chromium's path, or null where there is none (or it is hidden). */
export const systemChromium = chosen();

/** Runs as root in a container, with no GPU, and never talks to anything but the test server. */
export const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
