import { healthAnswer } from '@/app/_lib/ops/probes';

/*
 * Liveness: 200 while the process can answer at all. Deliberately checks nothing else (a
 * database problem is readiness's, /api/ready): a process manager restarts a process whose
 * liveness fails, and restarting cannot fix a full disk. Under `next start` the request is
 * answered before Next routes it (app/_lib/ops/probes.ts); this route is the same answer for
 * the first request and for `next dev`.
 */
export const dynamic = 'force-dynamic';

export function GET() {
  const { status, body } = healthAnswer();
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });
}
