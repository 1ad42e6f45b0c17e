import { NextRequest } from 'next/server';
import { handlers } from '@/app/_lib/auth/config';
import { publicOrigin } from '@/app/_lib/content/site';

/*
 * Auth.js builds its redirects and callback URLs on the request's URL. Next reports a route
 * handler's 127.0.0.1 as "localhost" and, behind a proxy, the internal address, so it gets the
 * origin the browser is on instead. A set AUTH_URL (from SITE_URL) still overrides this.
 */
function atPublicOrigin(handler: (request: NextRequest) => Promise<Response>) {
  return (request: NextRequest) => {
    const url = new URL(`${request.nextUrl.pathname}${request.nextUrl.search}`, publicOrigin(request.headers));
    return handler(new NextRequest(url, request));
  };
}

export const GET = atPublicOrigin(handlers.GET);
export const POST = atPublicOrigin(handlers.POST);
