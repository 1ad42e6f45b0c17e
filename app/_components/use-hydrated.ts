'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * False on the server and in the first render, true once React runs in the browser. Forms
 * send it as `_js`, so an action can answer a script with data and a plain form post with a
 * redirect (post/redirect/get), from one code path.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
