import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { databasePath } from '@/db/index';
import { site } from '../content/site';

export const MIN_SECRET_LENGTH = 32;
const PLACEHOLDERS = /^(changeme|secret|password|your[-_ ]?secret|test|development)/i;

export class WeakSecretError extends Error {
  override name = 'WeakSecretError';
}

export function secretFile(): string {
  return path.join(path.dirname(databasePath()), 'auth-secret');
}

/**
 * Makes sure AUTH_SECRET is set before Auth.js reads it. A secret given in the environment is
 * used as is, but production refuses a short or placeholder one. Without one, a random secret
 * is generated once into the data folder (mode 0600) and reused on every restart, so sessions
 * survive restarts and a fresh clone needs no .env.
 */
type Env = Record<string, string | undefined>;

export function ensureAuthSecret(env: Env = process.env): string {
  const given = env.AUTH_SECRET;
  if (given) {
    if (env.NODE_ENV === 'production' && (given.length < MIN_SECRET_LENGTH || PLACEHOLDERS.test(given))) {
      throw new WeakSecretError(
        `AUTH_SECRET is too weak for production: use at least ${MIN_SECRET_LENGTH} random characters ` +
          '(for example the output of `openssl rand -base64 32`), or unset it to have one generated in the data folder.',
      );
    }
    return given;
  }
  const file = secretFile();
  let secret: string;
  try {
    secret = fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    secret = crypto.randomBytes(48).toString('base64url');
    try {
      // 'wx' fails if another process created it first; then read theirs.
      fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    } catch {
      secret = fs.readFileSync(file, 'utf8').trim();
    }
  }
  env.AUTH_SECRET = secret;
  return secret;
}

/**
 * At server start: the secret, and, when SITE_URL is set, the public URL Auth.js builds its
 * redirects on. Without SITE_URL, Auth.js follows each request (app/api/auth/[...nextauth]/route.ts
 * hands it the request's public origin). A weak production secret stops the server with one clear line.
 */
export function prepareAuthSecret(): void {
  if (process.env.SITE_URL) process.env.AUTH_URL ??= `${site.url}/api/auth`;
  try {
    ensureAuthSecret();
  } catch (error) {
    if (!(error instanceof WeakSecretError)) throw error;
    console.error(`\n[auth] ${error.message}\n`);
    process.exit(1);
  }
}
