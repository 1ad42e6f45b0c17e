/* Session cookies for the bench's users, signed with the server's own secret, and how to recognise their pages. */
import crypto from 'node:crypto';
import path from 'node:path';
import { encode } from '@auth/core/jwt';
import Database from 'better-sqlite3';
import { readOrNull } from '../lib/next-process.mjs';
import { AUTH_SECRET_PATH, BenchError, DB_PATH, ROOT, SESSION_COOKIE } from './config.mjs';

/** The secret the server signs sessions with: AUTH_SECRET if given, else the one it generated beside the database. */
function authSecret() {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  const secret = readOrNull(path.join(ROOT, AUTH_SECRET_PATH))?.trim();
  if (!secret) throw new BenchError(`${AUTH_SECRET_PATH} not found: the server should have written it on start`);
  return secret;
}

/**
 * A session (a user_sessions row, as a sign-in makes) for each of these users in the bench
 * database, and its id: a cookie without a live session row is signed out.
 */
function startSessions(users) {
  const db = new Database(path.join(ROOT, DB_PATH));
  try {
    db.pragma('busy_timeout = 5000');
    const insert = db.prepare("insert into user_sessions (id, user_id, method, user_agent) values (?, ?, 'password', 'bench')");
    return db.transaction(() => users.map((user) => {
      const id = crypto.randomBytes(18).toString('base64url');
      insert.run(id, user.id);
      return id;
    }))();
  } finally {
    db.close();
  }
}

/** The value of the session cookie Auth.js would issue to each of these users (an encrypted JWT naming its session). */
export function sessionTokens(users) {
  const secret = authSecret();
  const ids = startSessions(users);
  return Promise.all(users.map((user, i) => encode({ token: { sub: user.id, sid: ids[i] }, secret, salt: SESSION_COOKIE, maxAge: 3600 })));
}

/** A Cookie header value that signs this user in. */
export async function sessionCookie(user) {
  const [token] = await sessionTokens([user]);
  return `${SESSION_COOKIE}=${token}`;
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Matches a page rendered for this reader: the header names them (their name alone could come from one of their comments). */
export const signedInAs = (reader) => new RegExp(`Signed in as[\\s\\S]{0,400}?>${escapeRegExp(reader.name)}<`);
