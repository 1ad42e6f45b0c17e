import { NextResponse } from 'next/server';
import { getCurrentUser } from '@/app/_lib/auth/session';
import { settings } from '@/app/_lib/config.mjs';
import { jsonError, readJsonBody } from '@/app/_lib/http/api';

/*
 * The benchmark's floor for a write: what Next, the JSON body and the session cost one POST,
 * without the comment. It reads the body and the signed-in reader as the comment route does,
 * stores nothing and answers 201, so `npm run bench` can report comments stored per second as
 * a share of it. Outside the benchmark's server (BENCH_BASELINE unset) it is a 404.
 */
export async function POST(request: Request) {
  if (!settings().BENCH_BASELINE) return new NextResponse(null, { status: 404 });
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  if (!(await getCurrentUser())) return jsonError('unauthorized:comment');
  return NextResponse.json({ ok: true }, { status: 201, headers: { 'Cache-Control': 'private, no-store' } });
}
