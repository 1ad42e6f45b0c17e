import { timingSafeEqual } from 'node:crypto';
import { headers } from 'next/headers';
import { settings } from '@/app/_lib/config.mjs';
import { metricsText } from '@/app/_lib/ops/metrics';
import { PEER_LOOPBACK } from '@/app/_lib/ops/requests';

/*
 * Prometheus metrics, for the machine itself (loopback) or for a scraper holding METRICS_TOKEN as
 * a bearer token; anyone else gets 401.
 */
export const dynamic = 'force-dynamic';

function tokenMatches(given: string | null, expected: string | undefined): boolean {
  if (!expected || !given?.startsWith('Bearer ')) return false;
  const a = Buffer.from(given.slice('Bearer '.length));
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function GET() {
  const request = await headers();
  const allowed = request.get(PEER_LOOPBACK) === '1' || tokenMatches(request.get('authorization'), settings().METRICS_TOKEN);
  if (!allowed) {
    return new Response('Metrics are served to this machine, or with METRICS_TOKEN as a bearer token.\n', {
      status: 401,
      headers: { 'Cache-Control': 'no-store', 'WWW-Authenticate': 'Bearer' },
    });
  }
  const { contentType, body } = await metricsText();
  return new Response(body, { headers: { 'Content-Type': contentType, 'Cache-Control': 'no-store' } });
}
