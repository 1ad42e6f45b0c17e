import type { ErrorCode } from './errors';

/**
 * The bytes of a form post (a server action posted without JavaScript, or an Auth.js endpoint),
 * checked by proxy.ts before anything decodes them. Next's form parser replaces invalid UTF-8
 * with U+FFFD, so a broken comment would be stored as if the reader had typed it; and a body
 * over Next's 1 MB action limit ends in a 500. Here both get a 4xx, as JSON does in api.ts.
 * No form on this site uploads a file, so every byte of a form post is text.
 */

/** Far above any real form (a comment box holds 10,000 characters), far below Next's 1 MB. */
export const MAX_FORM_BYTES = 64 * 1024;

const FORM_TYPES = ['multipart/form-data', 'application/x-www-form-urlencoded'];

/** A refusal from the error catalogue (errors.ts): too large (413) or not UTF-8 (400). */
export type FormBodyRefusal = Extract<ErrorCode, 'invalid:too_large' | 'invalid:encoding'>;

export function isFormContentType(contentType: string | null): boolean {
  const type = (contentType ?? '').toLowerCase();
  return FORM_TYPES.some((form) => type.startsWith(form));
}

/** Refuses by the declared length alone, before a byte is read. */
export function checkDeclaredLength(contentLength: string | null): FormBodyRefusal | null {
  return Number(contentLength ?? 0) > MAX_FORM_BYTES ? 'invalid:too_large' : null;
}

/** Refuses a body that is too large (the length may not have been declared) or not UTF-8. */
export function checkFormBytes(bytes: Uint8Array): FormBodyRefusal | null {
  if (bytes.byteLength > MAX_FORM_BYTES) return 'invalid:too_large';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return null;
  } catch {
    return 'invalid:encoding';
  }
}
