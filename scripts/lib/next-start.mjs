/*
 * Runs Next's own CLI as `next start <arguments>` in this process: its bin reads process.argv
 * when it loads. A child process would outlive a stop signal sent to this PID.
 */
import { createRequire } from 'node:module';

const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
process.argv = [process.argv[0], nextBin, 'start', ...process.argv.slice(2)];
await import(nextBin);
