import { readiness } from '@/app/_lib/ops/readiness';

/* Readiness: 200 when this process can do its work, else 503 naming each problem (app/_lib/ops/readiness.ts). */
export const dynamic = 'force-dynamic';

export function GET() {
  const { ready, problems, checkedAt } = readiness();
  return Response.json(
    { status: ready ? 'ready' : 'not ready', problems, checkedAt },
    { status: ready ? 200 : 503, headers: { 'Cache-Control': 'no-store' } },
  );
}
