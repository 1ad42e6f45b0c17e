/*
 * `npm start`: the checks a first run needs (scripts/lib/preflight.mjs), then `next start` with
 * the same arguments, in this same process, so stopping this PID stops the server.
 */
import { preflight } from './lib/preflight.mjs';

await preflight();
await import('./lib/next-start.mjs');
