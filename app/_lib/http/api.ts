import 'server-only';
import { NextResponse } from 'next/server';
import { ERRORS, type ErrorCode, type Refusal } from './errors';

/** A JSON error with its status: { error: { code, message, fields? } }. */
export function jsonError(code: ErrorCode, extra?: Partial<Refusal>): NextResponse {
  return NextResponse.json(
    { error: { code, message: extra?.message ?? ERRORS[code].message, ...(extra?.fields ? { fields: extra.fields } : {}) } },
    { status: ERRORS[code].status, headers: { 'Cache-Control': 'private, no-store' } },
  );
}

export function jsonRefusal(refusal: Refusal): NextResponse {
  return jsonError(refusal.code, refusal);
}

export const MAX_JSON_BYTES = 64 * 1024;

/**
 * Reads a JSON body for a mutating request, or says why not: JSON only (a cross-site form
 * cannot send it without a CORS preflight), at most 64 KB, valid UTF-8. Requests that name
 * another site's Origin never get here: proxy.ts refuses them for every route.
 */
export async function readJsonBody(request: Request): Promise<{ ok: true; body: unknown } | { ok: false; response: NextResponse }> {
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) {
    return { ok: false, response: NextResponse.json({ error: { code: 'invalid:content_type', message: 'Send JSON (Content-Type: application/json).' } }, { status: 415 }) };
  }
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_JSON_BYTES) {
    return { ok: false, response: NextResponse.json({ error: { code: 'invalid:too_large', message: 'The request body is too large.' } }, { status: 413 }) };
  }
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > MAX_JSON_BYTES) {
    return { ok: false, response: NextResponse.json({ error: { code: 'invalid:too_large', message: 'The request body is too large.' } }, { status: 413 }) };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, response: jsonError('invalid:request', { message: 'The body is not valid UTF-8.' }) };
  }
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return { ok: false, response: jsonError('invalid:request', { message: 'The body is not valid JSON.' }) };
  }
}
