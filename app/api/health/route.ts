/*
 * Liveness: 200 while the process can answer at all. Deliberately checks nothing else (a
 * database problem is readiness's, /api/ready): a process manager restarts a process whose
 * liveness fails, and restarting cannot fix a full disk.
 */
export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } });
}
