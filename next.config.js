// @ts-check
import { fileURLToPath } from 'node:url';
import { ConfigError, parseSetting } from './app/_lib/config.mjs';

/** NEXT_DIST_DIR (app/_lib/config.mjs), needed before instrumentation.ts checks the others. */
function distDir() {
  try {
    return parseSetting('NEXT_DIST_DIR');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`[config] ${error.message}`);
    process.exit(1);
  }
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The benchmark builds into its own folder so it never replaces the build you are running.
  distDir: distDir(),
  poweredByHeader: false,
  reactStrictMode: true,
  // better-sqlite3 is a native addon: load it from node_modules at run time, never bundle it.
  // prom-client too, so instrumentation and every route count into one registry (pino is on
  // Next's own list).
  serverExternalPackages: ['better-sqlite3', 'prom-client', 'nodemailer'],
  // Next's file-system cache, storing each cached page with a policy that hashes its inline
  // scripts (app/_lib/http/csp.mjs explains the two kinds of policy).
  cacheHandler: fileURLToPath(new URL('./app/_lib/http/cache-handler.mjs', import.meta.url)),
  async headers() {
    // Article pages and their views as cached for every signed-out reader: shared caches (the
    // nginx edge in deploy/) may keep a copy for a second and serve it stale for a minute while
    // one request refreshes it. No cookie condition: Next's default for these pages would be an
    // hour (their `revalidate`), so every response at these addresses starts from this one, and
    // proxy.ts replaces it with "private, no-store" on whatever it renders per request (a
    // session cookie, a form post).
    const edgeCacheable = { key: 'Cache-Control', value: 'public, s-maxage=1, stale-while-revalidate=59' };
    // An article's social card (app/articles/[slug]/card.png): Next's default would let shared
    // caches keep it for an hour, and browsers and link previewers for a year (next/og's own
    // header). It shows the comment count, so everyone may keep it a few minutes at most.
    const cardCacheable = { key: 'Cache-Control', value: 'public, max-age=300, s-maxage=60, stale-while-revalidate=540' };
    // The Atom feeds like the article pages (their writes refresh them with the pages), but a feed reader's own
    // cache asks again every time (max-age=0): the feeds answer If-None-Match and
    // If-Modified-Since with 304 (app/_lib/feeds/serve.ts), so asking costs no download.
    const feedCacheable = { key: 'Cache-Control', value: 'public, max-age=0, s-maxage=1, stale-while-revalidate=59' };
    return [
      { source: '/articles/:slug', headers: [edgeCacheable] },
      { source: '/articles/:slug/card.png', headers: [cardCacheable] },
      { source: '/articles/:slug/view/:view', headers: [edgeCacheable] },
      { source: '/feed.xml', headers: [feedCacheable] },
      { source: '/articles/:slug/comments.xml', headers: [feedCacheable] },
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()' },
          { key: 'X-Frame-Options', value: 'DENY' },
          // No Content-Security-Policy here: each HTML page gets exactly one, with a nonce
          // (proxy.ts) or with its inline scripts' hashes (app/_lib/http/cache-handler.mjs).
        ],
      },
    ];
  },
};

export default nextConfig;
