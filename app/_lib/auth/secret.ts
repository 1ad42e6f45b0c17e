import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { databasePath } from '@/db/index';
import { ConfigError, parseSetting, parseSettings, settings } from '../config.mjs';
import { site } from '../content/site';

export class WeakSecretError extends Error {
  override name = 'WeakSecretError';
}

export function secretFile(): string {
  return path.join(path.dirname(databasePath()), 'auth-secret');
}

type Env = Record<string, string | undefined>;

/**
 * AUTH_SECRET as ../config.mjs reads it (blank is unset); its refusal (a short or placeholder
 * secret in production) as a WeakSecretError.
 */
function givenSecret(env: Env): string | undefined {
  try {
    return parseSettings(env).AUTH_SECRET;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const line = error.problems.find((problem) => problem.startsWith('AUTH_SECRET='));
    if (line) throw new WeakSecretError(line);
    // Another setting was refused (instrumentation.ts stops the start for it); this one is fine.
    return parseSetting('AUTH_SECRET', env);
  }
}

/**
 * Makes sure AUTH_SECRET is set before Auth.js reads it. A secret given in the environment is
 * used as is, but production refuses a short or placeholder one. Without one, a random secret
 * is generated once into the data folder (mode 0600) and reused on every restart, so sessions
 * survive restarts and a fresh clone needs no .env.
 */
export function ensureAuthSecret(env: Env = process.env): string {
  const given = givenSecret(env);
  if (given) return given;
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
  // Auth.js reads AUTH_URL from process.env itself.
  if (settings().SITE_URL) process.env.AUTH_URL ??= `${site.url}/api/auth`;
  try {
    ensureAuthSecret();
  } catch (error) {
    if (!(error instanceof WeakSecretError)) throw error;
    console.error(`\n[auth] ${error.message}\n`);
    process.exit(1);
  }
}
