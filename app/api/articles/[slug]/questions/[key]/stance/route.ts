import { NextResponse, type NextRequest } from 'next/server';
import { jsonRefusal, readJsonBody } from '@/app/_lib/http/api';
import { giveStance } from '@/app/_lib/comments/polls';
import { getCurrentUser } from '@/app/_lib/auth/session';

/**
 * POST { "choice": "yes" }: the signed-in reader's one-click answer to a closed question, by
 * the same rules as the poll form.
 */
export async function POST(request: NextRequest, { params }: { params: Promise<{ slug: string; key: string }> }) {
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const { slug, key } = await params;
  const choice = typeof read.body === 'object' && read.body !== null ? (read.body as { choice?: unknown }).choice : undefined;
  const result = await giveStance(await getCurrentUser(), slug, { questionKey: key, choice });
  if (!result.ok) return jsonRefusal(result);
  return NextResponse.json({ stance: result.value }, { headers: { 'Cache-Control': 'private, no-store' } });
}
