import { setTimeout as sleep } from 'node:timers/promises';

const pending = globalThis as unknown as { __blogDeferredRuns?: number };

/**
 * Deferred runs not yet finished, in this process. The graceful stop (app/_lib/ops/shutdown.ts)
 * waits for them, so the last writes before a restart are not left out of the cached pages.
 */
export function deferredRunsPending(): number {
  return pending.__blogDeferredRuns ?? 0;
}

/**
 * Runs a task at most once per window per key. The first call in a window runs at once; the
 * calls after it, within the window, become one run when the window ends, handed to `defer`
 * (Next's `after`, so it still runs inside the request that asked for it). The tasks for one
 * key are interchangeable: any run after a change shows it.
 */
export function coalescer(windowMs: () => number, defer: (task: () => Promise<void>) => void) {
  const lastRun = new Map<string, number>();
  const waiting = new Set<string>();
  return (key: string, run: () => void): void => {
    const now = Date.now();
    const wait = (lastRun.get(key) ?? -Infinity) + windowMs() - now;
    if (wait <= 0) {
      lastRun.set(key, now);
      run();
      return;
    }
    if (waiting.has(key)) return;
    waiting.add(key);
    pending.__blogDeferredRuns = deferredRunsPending() + 1;
    defer(async () => {
      try {
        await sleep(wait);
        waiting.delete(key);
        lastRun.set(key, Date.now());
        run();
      } finally {
        pending.__blogDeferredRuns = deferredRunsPending() - 1;
      }
    });
  };
}
