import { NextResponse } from 'next/server';
import { ERRORS, errorBody, refuse, type ErrorCode, type Refusal } from './errors';

/*
 * The JSON side of the error catalogue (errors.ts): a refusal with its status, never cached.
 * No 'server-only' marker: proxy.ts answers with the same shape.
 */
export function jsonRefusal(refusal: Refusal): NextResponse {
  return NextResponse.json(errorBody(refusal), { status: ERRORS[refusal.code].status, headers: { 'Cache-Control': 'private, no-store' } });
}

export function jsonError(code: ErrorCode, message?: string): NextResponse {
  return jsonRefusal(refuse(code, undefined, message));
}

export const MAX_JSON_BYTES = 64 * 1024;

/**
 * Reads a JSON body for a mutating request, or says why not: JSON only (a cross-site form
 * cannot send it without a CORS preflight), at most 64 KB, valid UTF-8. Requests that name
 * another site's Origin never get here: proxy.ts refuses them for every route.
 */
export async function readJsonBody(request: Request): Promise<{ ok: true; body: unknown } | { ok: false; response: NextResponse }> {
  const refused = (code: ErrorCode) => ({ ok: false as const, response: jsonError(code) });
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) return refused('invalid:content_type');
  if (Number(request.headers.get('content-length') ?? 0) > MAX_JSON_BYTES) return refused('invalid:too_large');
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > MAX_JSON_BYTES) return refused('invalid:too_large');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refused('invalid:encoding');
  }
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return refused('invalid:json');
  }
}
