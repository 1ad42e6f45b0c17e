/*
 * The browser for e2e (playwright.config.ts) and Lighthouse (scripts/lighthouse.mjs): Debian's
 * Chromium where it is installed, because Playwright cannot download its own on this network;
 * elsewhere null, and each tool uses the browser it ships with.
 */
import fs from 'node:fs';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** The system Chromium's path, or null where there is none. */
export const systemChromium = fs.existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : null;

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
