import { z } from 'zod';

import { NAME_MAX, PASSWORD_MAX, PASSWORD_MIN } from '../limits';

export { NAME_MAX, PASSWORD_MAX, PASSWORD_MIN };

/** One address, one account: trimmed and lower-cased everywhere an email enters the system. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const email = z
  .string({ error: 'Enter your email address.' })
  .trim()
  .min(1, 'Enter your email address.')
  .max(254, 'That email address is too long.')
  .pipe(z.email({ error: 'Enter a valid email address, like name@example.com.' }))
  .transform(normalizeEmail);

export const displayNameSchema = z
  .string({ error: 'Enter a display name.' })
  .transform((name) => name.normalize('NFC').replace(/\s+/g, ' ').trim())
  .pipe(
    z
      .string()
      .min(1, 'Enter a display name.')
      .max(NAME_MAX, `Keep your display name to ${NAME_MAX} characters or fewer.`)
      .refine((name) => !/[\p{Cc}\p{Cf}]/u.test(name), 'Your display name has characters that cannot be shown.'),
  );

const newPassword = z
  .string({ error: 'Choose a password.' })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters for your password.`)
  .max(PASSWORD_MAX, `Keep your password to ${PASSWORD_MAX} characters or fewer.`);

export const signUpSchema = z.object({ name: displayNameSchema, email, password: newPassword });

/** Forgot password, sign-in link, change of address: one address. */
export const emailSchema = z.object({ email });

/** A mailed link's button; a reset link's page adds the new password. */
export const emailLinkSchema = z.object({
  token: z.string({ error: 'That link is not valid.' }).min(1, 'That link is not valid.').max(200, 'That link is not valid.'),
  password: z.string().max(PASSWORD_MAX * 2).optional(),
});

export const newPasswordSchema = z.object({ password: newPassword });

/** The profile's password change: the current one only when the account has one. */
export const changePasswordSchema = z.object({
  currentPassword: z.string().max(PASSWORD_MAX, 'Your current password is incorrect.').optional(),
  password: newPassword,
});

export const signInSchema = z.object({
  email,
  password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(PASSWORD_MAX, 'Email or password is incorrect.'),
});

export const profileSchema = z.object({ name: displayNameSchema });

/** Field messages for a form: the first problem per field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const result: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    result[field] ??= issue.message;
  }
  return result;
}

/** The path, query and fragment `value` resolves to on this site, or null for another origin. */
function resolvePath(value: string): string | null {
  const url = new URL(value, 'http://localhost');
  return url.origin === 'http://localhost' ? `${url.pathname}${url.search}${url.hash}` : null;
}

/**
 * A path that a browser resolves on this site: one slash, then not another slash or a backslash
 * (both read as "another host"), and not an API route. Checked again after each round of
 * percent-decoding and re-resolving, since something downstream may decode once more.
 */
function isSameSitePath(path: string): boolean {
  let current = path;
  for (let round = 0; round < 3; round += 1) {
    if (!current.startsWith('/') || /^\/[/\\]/.test(current) || /[\u0000-\u001f]/.test(current) || /^\/api\//i.test(current)) return false;
    let next: string | null;
    try {
      next = resolvePath(decodeURIComponent(current));
    } catch {
      return false; // malformed percent-encoding
    }
    if (next === null) return false;
    if (next === current) return true;
    current = next;
  }
  return false; // still changing: encoded more deeply than any real link
}

/**
 * A same-site path to return to after signing in; anything else falls back to `fallback`.
 * The check runs on what is returned: parsing collapses dot segments, so `/.//evil.example`
 * comes out as `//evil.example`, which a browser reads as another site.
 */
export function safeReturnPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/')) return fallback;
  try {
    const path = resolvePath(value);
    return path !== null && isSameSitePath(path) ? path : fallback;
  } catch {
    return fallback;
  }
}
