import 'server-only';
import { settings } from '../config.mjs';

/*
 * Requests a route handler makes to this same server: the signed-in fast paths
 * (app/articles/[slug]/reader, app/search/reader) ask for the page cached for everyone, which
 * stores it, or for a render for the reader when the cached page cannot serve.
 */

/** This server, as `next start` listens: where a request to itself goes. */
export function selfOrigin(): string {
  // Next's own record of its address when it has one (not a setting), else PORT.
  return process.env.__NEXT_PRIVATE_ORIGIN ?? `http://127.0.0.1:${settings().PORT}`;
}

const PASSED_ON = ['content-type', 'content-security-policy', 'cache-control', 'location', 'vary'];

/** A request to this server; its answer handed on with the headers a page needs, never stored by a shared cache. */
export async function fromSelf(path: string, headers: Record<string, string>): Promise<Response> {
  const answer = await fetch(selfOrigin() + path, { headers, redirect: 'manual', cache: 'no-store' });
  const passed = new Headers();
  for (const name of PASSED_ON) {
    const value = answer.headers.get(name);
    if (value) passed.set(name, value);
  }
  passed.set('cache-control', 'private, no-store');
  return new Response(answer.body, { status: answer.status, headers: passed });
}

/** Asks for a page as a signed-out reader would, which stores it in the page cache (or reads it from disk); whether it rendered. */
export async function storeShared(path: string): Promise<boolean> {
  const answer = await fetch(selfOrigin() + path, { cache: 'no-store', redirect: 'manual' });
  await answer.arrayBuffer();
  return answer.status === 200;
}
