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

export const signUpSchema = z.object({
  name: displayNameSchema,
  email,
  password: z
    .string({ error: 'Choose a password.' })
    .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters for your password.`)
    .max(PASSWORD_MAX, `Keep your password to ${PASSWORD_MAX} characters or fewer.`),
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

/** A same-site path to return to after signing in; anything else falls back to `fallback`. */
export function safeReturnPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return fallback;
  }
  try {
    const url = new URL(value, 'http://localhost');
    if (url.origin !== 'http://localhost' || url.pathname.startsWith('/api/')) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
