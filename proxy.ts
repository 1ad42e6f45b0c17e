import { NextResponse, type NextRequest } from 'next/server';

/*
 * Signed-out readers get the cached article page; a request with a session cookie is
 * rewritten to the per-request variant of the same page, so it can show the reader's own
 * controls. Only the presence of the cookie is checked here: the variant verifies it, and a
 * forged or expired cookie there renders the signed-out view.
 */
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

export function proxy(request: NextRequest) {
  const signedIn = request.cookies.getAll().some((cookie) => SESSION_COOKIE.test(cookie.name));
  if (!signedIn) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = `/signed-in${url.pathname}`;
  return NextResponse.rewrite(url);
}

export const config = {
  matcher: ['/articles/:slug'],
};
