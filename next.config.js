// @ts-check
import { fileURLToPath } from 'node:url';

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The benchmark builds into its own folder so it never replaces the build you are running.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // With the article pages' one-second revalidate: "s-maxage=1, stale-while-revalidate=59".
  expireTime: 60,
  reactStrictMode: true,
  // better-sqlite3 is a native addon: load it from node_modules at run time, never bundle it.
  serverExternalPackages: ['better-sqlite3'],
  // Next's file-system cache, storing each cached page with a policy that hashes its inline
  // scripts (app/_lib/csp.mjs explains the two kinds of policy).
  cacheHandler: fileURLToPath(new URL('./app/_lib/cache-handler.mjs', import.meta.url)),
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()' },
          { key: 'X-Frame-Options', value: 'DENY' },
          // No Content-Security-Policy here: each HTML page gets exactly one, with a nonce
          // (proxy.ts) or with its inline scripts' hashes (app/_lib/cache-handler.mjs).
        ],
      },
    ];
  },
};

export default nextConfig;
