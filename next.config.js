// @ts-check

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
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()' },
          { key: 'X-Frame-Options', value: 'DENY' },
          // The script policy (nonces or hashes against cached pages) is still to come; these
          // parts hold already: no framing, no plugins, no <base> hijacking.
          { key: 'Content-Security-Policy', value: "frame-ancestors 'none'; object-src 'none'; base-uri 'self'" },
        ],
      },
    ];
  },
};

export default nextConfig;
