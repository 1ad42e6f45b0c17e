// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The benchmark builds into its own folder so it never replaces the build you are running.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  reactStrictMode: true,
  // better-sqlite3 is a native addon: load it from node_modules at run time, never bundle it.
  serverExternalPackages: ['better-sqlite3'],
};

export default nextConfig;
