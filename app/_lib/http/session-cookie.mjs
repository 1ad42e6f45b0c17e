// @ts-check
/*
 * The one answer to "does this request carry a session cookie?", for proxy.ts (which routes it
 * to the per-request page) and next.config.js (which names the cookies its rules test). Cookies
 * are parsed by `cookie`, the parser Auth.js and Next's own `has` matching use, so that
 * "authjs.session-token =x" counts as a session here exactly as it does there.
 * Plain JavaScript because next.config.js imports it unbundled.
 */
import { parseCookie } from 'cookie';

/** Auth.js's session cookie, over http and over https. */
export const SESSION_COOKIES = /** @type {const} */ (['authjs.session-token', '__Secure-authjs.session-token']);

/** A session cookie by name, or one of the chunks (name.0, name.1, ...) Auth.js splits a large one into. */
export function isSessionCookieName(/** @type {string} */ name) {
  return SESSION_COOKIES.some((cookie) => name === cookie || (name.startsWith(`${cookie}.`) && /^\d+$/.test(name.slice(cookie.length + 1))));
}

/** Whether a Cookie header names a session cookie (valid or not: the page verifies it). */
export function hasSessionCookie(/** @type {string | null | undefined} */ header) {
  if (!header) return false;
  return Object.keys(parseCookie(header)).some(isSessionCookieName);
}

/** The cookie that points at a comment typed before signing in (db table comment_drafts). */
export const DRAFT_COOKIE = 'comment_draft';

/**
 * Which article page the browser now holds, set by app/articles/[slug]/reader/route.ts: "rendered"
 * when the page was rendered for the reader, absent when it was made from the cached page.
 * proxy.ts sends form actions to the route that page came from (Next answers an action with
 * that route's tree).
 */
export const READER_PAGE_COOKIE = 'reader_page';

/**
 * Sent by app/search/reader/route.ts when it asks this server to render a search for the reader
 * (the stored page could not serve): proxy.ts then renders /search per request instead of
 * sending the request back to that route. A client sending it only opts out of the fast path.
 */
export const RENDER_FOR_READER_HEADER = 'x-render-for-reader';
