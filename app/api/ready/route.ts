import { readyAnswer } from '@/app/_lib/ops/probes';

/*
 * Readiness: 200 when this process can do its work, else 503 naming each problem
 * (app/_lib/ops/readiness.ts). Answered before Next routes it under `next start`
 * (app/_lib/ops/probes.ts); this route is the same answer for the first request and `next dev`.
 */
export const dynamic = 'force-dynamic';

export function GET() {
  const { status, body } = readyAnswer();
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });
}
