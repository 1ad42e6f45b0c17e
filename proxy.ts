import { NextResponse, type NextRequest } from 'next/server';
import { VIEW_PARAMS, isDefaultView, parseView, viewSegment } from './app/_lib/comments/view';
import { createNonce, noncePolicy } from './app/_lib/http/csp.mjs';
import { checkDeclaredLength, checkFormBytes, isFormContentType, type FormBodyRefusal } from './app/_lib/http/form-body';
import { DRAFT_COOKIE, READER_PAGE_COOKIE, RENDER_FOR_READER_HEADER, hasSessionCookie } from './app/_lib/http/session-cookie.mjs';
import { jsonError } from './app/_lib/http/api';
import { searchRoute } from './app/_lib/search/query';

/*
 * Refuses cross-site writes and malformed form posts, routes article requests to the right
 * variant of the page, and gives every page rendered per request its script nonce:
 * - a session cookie: /articles/[slug]/signed-in, rendered per request with the reader's
 *   controls (only the cookie's presence is checked here; the page verifies it, and a forged or
 *   expired one renders the signed-out view);
 * - signed out with ?sort / ?after / ?comment: /articles/[slug]/view/[view], cached per view;
 * - signed out, no view: the cached article page itself.
 * Cached pages carry no nonce (every reader gets the same bytes); their policy lists their
 * inline scripts' hashes instead (app/_lib/http/csp.mjs).
 */
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ARTICLE = /^\/articles\/[^/]+$/;
/** Pages that are always rendered per request (they read the session or the query). */
const PER_REQUEST_PAGE = /^\/(signin(\/link)?|signup|profile(\/delete)?|account-deleted|privacy|unsubscribe|email-link|forgot-password|moderation(\/.*)?|articles\/[^/]+\/(signed-in|comments\/[^/]+\/[^/]+))?$/;

/**
 * A search results page (app/(reader)/search) depends on its address alone, so a shared cache (the
 * nginx edge) may keep a signed-out copy for a few seconds: a burst of the same search costs one
 * render, and a new comment is found within the minute. Browsers keep none (max-age=0). A page
 * rendered per request has a nonce, then shared by everyone served that copy; that is safe, as
 * the page's content was fixed before anyone could read the nonce. A signed-in reader's copy
 * names them: private.
 */
const SEARCH_CACHE = 'public, max-age=0, s-maxage=10, stale-while-revalidate=50';

/**
 * A state-changing request from another site (a form or fetch whose Origin is not this site)
 * is refused here with 403, before any action, route handler or Auth.js endpoint sees it.
 */
function crossSite(request: NextRequest): boolean {
  const origin = request.headers.get('origin');
  if (!origin || !UNSAFE.has(request.method)) return false;
  // RFC 8058 one-click unsubscribe: a mail program posts from its own site; the signed token is the authority.
  if (request.nextUrl.pathname === '/api/unsubscribe') return false;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

/**
 * Lets a per-request render through (rewritten to `to` when given) with a fresh nonce: Next
 * reads it from the request's policy header and stamps it on every script it writes, and the
 * response carries the same policy. It is never stored by a shared cache: this header replaces
 * the edge lifetime next.config.js gives every article address.
 */
function withNonce(request: NextRequest, to?: URL): NextResponse {
  const policy = noncePolicy(createNonce());
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', policy);
  const response = to ? NextResponse.rewrite(to, { request: { headers } }) : NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  response.headers.set('Cache-Control', 'private, no-store');
  return response;
}

/**
 * A form post that is too large or not UTF-8 (app/_lib/http/form-body.ts), refused before a server
 * action decodes it. Reads a copy of the body; Next hands the action its own.
 */
async function malformedForm(request: NextRequest): Promise<FormBodyRefusal | null> {
  if (!UNSAFE.has(request.method) || !isFormContentType(request.headers.get('content-type'))) return null;
  return checkDeclaredLength(request.headers.get('content-length')) ?? checkFormBytes(new Uint8Array(await request.clone().arrayBuffer()));
}

export async function proxy(request: NextRequest) {
  if (crossSite(request)) return jsonError('forbidden:cross_site');
  const malformed = await malformedForm(request);
  if (malformed) return jsonError(malformed);
  const { pathname } = request.nextUrl;
  // Any write (a form posted without JavaScript) is answered with a page rendered for it alone.
  const reading = request.method === 'GET' || request.method === 'HEAD';
  if (pathname === '/search' && reading) return search(request);
  if (!ARTICLE.test(pathname)) {
    const page = PER_REQUEST_PAGE.test(pathname) || (!reading && !pathname.startsWith('/api/'));
    return page ? withNonce(request) : NextResponse.next();
  }
  const url = request.nextUrl.clone();
  if (hasSessionCookie(request.headers.get('cookie'))) {
    // A page load: ./reader, a route handler, makes the cached page the reader's (the policy
    // comes with the cached page). The router's own requests are rendered for the reader as React
    // data: Next hides their headers from this proxy, but a browser says what it fetches for
    // (Sec-Fetch-Dest: "document" for a page, "empty" for a script's fetch). A form post or a
    // draft waiting to be restored is rendered for the reader too.
    const dest = request.headers.get('sec-fetch-dest');
    const pageLoad = reading && (dest === null || dest === 'document') && !request.cookies.has(DRAFT_COOKIE);
    if (pageLoad) {
      url.pathname = `${url.pathname}/reader`;
      const response = NextResponse.rewrite(url);
      // Never stored by a shared cache: this replaces the edge lifetime next.config.js gives the address.
      response.headers.set('Cache-Control', 'private, no-store');
      return response;
    }
    // A script's action from a page made from the cached one runs on the route that page came
    // from, so the tree Next answers with matches the one the browser holds (else the reader's
    // parts would be drawn again from the other route's). ./reader says by a cookie when it
    // rendered the page for the reader instead (Next hides the router's own headers from here).
    const rendered = request.cookies.get(READER_PAGE_COOKIE)?.value === 'rendered' || request.cookies.has(DRAFT_COOKIE);
    if (request.headers.has('next-action') && !rendered) {
      const cached = cachedVariant(url);
      return cached ? withNonce(request, cached) : withNonce(request);
    }
    url.pathname = `${url.pathname}/signed-in`;
    return withNonce(request, url);
  }
  if (!reading) return withNonce(request);
  const cached = cachedVariant(url);
  return cached ? NextResponse.rewrite(cached) : NextResponse.next();
}

/**
 * /search: any other spelling of a search (case, punctuation, FTS5 syntax, parameter order,
 * unknown parameters) is sent to its canonical address (app/_lib/search/query.ts), so a shared
 * cache keeps one copy per search. Then a signed-out reader's search is served from Next's page
 * cache (app/search/results/[key]), as the article pages are, and a signed-in reader's page load
 * is that stored page with their name in the header (app/search/reader). The router's own
 * fetches for a signed-in reader, and searches the page cache does not keep (no words, too
 * long), are rendered with a nonce.
 */
function search(request: NextRequest): NextResponse {
  // Only a page load is redirected: the router's own fetches (a Link with JavaScript) follow the
  // page's links, which are canonical already, and carry parameters of their own.
  const dest = request.headers.get('sec-fetch-dest');
  const pageLoad = dest === null || dest === 'document';
  const { redirect, key } = searchRoute(request.nextUrl.search);
  if (redirect && pageLoad) {
    const response = NextResponse.redirect(new URL(redirect, request.nextUrl), 308);
    response.headers.set('Cache-Control', SEARCH_CACHE);
    return response;
  }
  const url = request.nextUrl.clone();
  if (hasSessionCookie(request.headers.get('cookie'))) {
    // A page load: the stored search with the reader written into the header (app/search/reader,
    // which reads the same query).
    if (!key || !pageLoad || request.headers.get(RENDER_FOR_READER_HEADER) === '1') return withNonce(request);
    url.pathname = '/search/reader';
    const response = NextResponse.rewrite(url);
    response.headers.set('Cache-Control', 'private, no-store');
    return response;
  }
  url.pathname = `/search/results/${key}`;
  url.search = '';
  const response = key ? NextResponse.rewrite(url) : withNonce(request);
  response.headers.set('Cache-Control', SEARCH_CACHE);
  return response;
}

/** The cached view an article address with ?sort / ?after / ?comment / ?question is served from; none for the article itself. */
function cachedVariant(address: URL): URL | null {
  if (!VIEW_PARAMS.some((name) => address.searchParams.has(name))) return null;
  const view = parseView(address.searchParams);
  if (isDefaultView(view)) return null;
  const url = new URL(address);
  url.pathname = `${url.pathname}/view/${viewSegment(view)}`;
  url.search = '';
  return url;
}

/*
 * The proxy runs only for requests it may change: pages rendered per request, article requests
 * with a session cookie or a view parameter, and requests with an Origin or a body. A plain
 * signed-out request for an article never enters it, so the cached page is served at the full
 * speed of Next's cache.
 */
// Written out in full: Next reads this config statically at build time. Keep the query keys
// in step with VIEW_PARAMS in app/_lib/comments/view.ts and the cookies with SESSION_COOKIES in
// app/_lib/http/session-cookie.mjs (a unit test checks both); ".0" is the first chunk of a split one.
export const config = {
  matcher: [
    '/',
    '/signin',
    '/signin/link',
    '/signup',
    '/profile',
    '/privacy',
    '/search',
    '/profile/delete',
    '/account-deleted',
    '/unsubscribe',
    '/email-link',
    '/forgot-password',
    '/moderation/:path*',
    '/articles/:slug/signed-in',
    '/articles/:slug/comments/:path*',
    { source: '/articles/:slug', has: [{ type: 'cookie', key: 'authjs.session-token' }] },
    { source: '/articles/:slug', has: [{ type: 'cookie', key: '__Secure-authjs.session-token' }] },
    { source: '/articles/:slug', has: [{ type: 'cookie', key: 'authjs.session-token.0' }] },
    { source: '/articles/:slug', has: [{ type: 'cookie', key: '__Secure-authjs.session-token.0' }] },
    { source: '/articles/:slug', has: [{ type: 'query', key: 'sort' }] },
    { source: '/articles/:slug', has: [{ type: 'query', key: 'after' }] },
    { source: '/articles/:slug', has: [{ type: 'query', key: 'comment' }] },
    { source: '/articles/:slug', has: [{ type: 'query', key: 'question' }] },
    // Any request that names an Origin, so cross-site posts can be refused.
    { source: '/:path*', has: [{ type: 'header', key: 'origin' }] },
    // Any request with a body, so malformed form posts are refused even without an Origin.
    { source: '/:path*', has: [{ type: 'header', key: 'content-type' }] },
  ],
};
