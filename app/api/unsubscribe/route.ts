import { NextResponse, type NextRequest } from 'next/server';
import { jsonRefusal } from '@/app/_lib/http/api';
import { unsubscribeByLink } from '@/app/_lib/notify/unsubscribe';

/*
 * The List-Unsubscribe address. A mail program's one-click POST (RFC 8058: body
 * "List-Unsubscribe=One-Click", no cookies) stops what the link names at once; the signed token
 * in the address is the authority, so no session or form token is asked for. A GET (a person
 * following the address, or a scanner) only shows the page that offers the choice: it never
 * changes anything.
 */
export const dynamic = 'force-dynamic';

export function GET(request: NextRequest) {
  const url = new URL('/unsubscribe', request.nextUrl);
  url.search = new URLSearchParams({ token: request.nextUrl.searchParams.get('token') ?? '' }).toString();
  return NextResponse.redirect(url, 303);
}

export function POST(request: NextRequest) {
  const result = unsubscribeByLink(request.nextUrl.searchParams.get('token'), 'scope');
  if (!result.ok) return jsonRefusal(result);
  return new NextResponse(`${result.value.message}\n`, { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
}
