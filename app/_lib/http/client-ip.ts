/**
 * The client address for per-IP limits. Next fills X-Forwarded-For from the socket only when
 * the request has none, and a reverse proxy (the shipped nginx config) appends the address it
 * saw, so the rightmost entry is the one a client cannot choose when a proxy is in front.
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get('x-forwarded-for');
  const last = forwarded?.split(',').pop()?.trim();
  return last || headers.get('x-real-ip') || 'unknown';
}
