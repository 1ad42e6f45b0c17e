import 'server-only';
import crypto from 'node:crypto';
import net from 'node:net';
import Bowser from 'bowser';
import ipaddr from 'ipaddr.js';
import { cookies, headers } from 'next/headers';
import { deleteSession, deleteSessionsOf, insertSession, listSessions } from '@/db/queries/sessions';
import type { UserSummary } from '@/db/queries/users';
import { settings } from '../config.mjs';
import { refuse, type Result } from '../http/errors';
import { ANY_CLIENT, clientIp } from '../http/client-ip';
import { ensureAuthSecret } from './secret';
import { decodeSessionCookie, readSessionCookie } from './session-token';

/*
 * The rules of sign-in sessions. Every session cookie carries a random `sid` naming a row of
 * user_sessions; the row is the session. Signing out (here, from the profile, or by a password
 * change) deletes rows, and a cookie whose row is gone is signed out on its next request
 * (loadSessionUser in ./roles.ts), whichever door it comes through.
 */

const MINUTE = 60_000;

/** How long a session cookie lives after its last renewal (Auth.js's maxAge, in seconds). */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

/**
 * How stale "last seen" may get: a request moves it only when it is older than this, so a
 * reader's requests cost one write per few minutes, not one each.
 */
export const SESSION_TOUCH_MS = 5 * MINUTE;

/** A new session's id: 144 random bits, URL-safe. */
export function newSessionId(): string {
  return crypto.randomBytes(18).toString('base64url');
}

/** How Auth.js names the way in: its provider id, with the two credentials providers named for what they are. */
export function signInMethod(provider: string | undefined): string {
  if (provider === 'credentials' || provider === undefined) return 'password';
  if (provider === 'email-link') return 'link';
  return provider;
}

/**
 * The client address with its host part cleared: the /24 of an IPv4 address, the /48 of an IPv6
 * one (an IPv4 address written as IPv6 counts as IPv4). Enough for "roughly where from" without
 * keeping the reader's address. Null when there is no address to trust (TRUST_PROXY=0) or it is
 * not an address at all.
 */
export function networkOf(ip: string): string | null {
  if (ip === ANY_CLIENT || net.isIP(ip) === 0) return null;
  let address = ipaddr.parse(ip);
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress()) address = address.toIPv4Address();
  const bits = address.kind() === 'ipv4' ? 24 : 48;
  const network = address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`) : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`);
  return `${network.toString()}/${bits}`;
}

/** "Chrome 131 on Windows", "Safari 17 on iOS": the browser and system a User-Agent names, as far as it does. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'An unknown browser';
  const parsed = Bowser.parse(userAgent);
  const browser = parsed.browser.name;
  const major = parsed.browser.version?.split('.')[0];
  const system = parsed.os.name;
  if (!browser && !system) return 'An unknown browser';
  return `${browser ? `${browser}${major ? ` ${major}` : ''}` : 'A browser'}${system ? ` on ${system}` : ''}`;
}

/** How the reader signed in, as the list says it. */
export function describeMethod(method: string, env?: Record<string, string | undefined>): string {
  if (method === 'password') return 'with a password';
  if (method === 'link') return 'with an emailed link';
  if (method === 'oidc') return `with ${settings(env).OIDC_NAME}`;
  if (method === 'github') return 'with GitHub';
  if (method === 'google') return 'with Google';
  return 'with a sign-in provider';
}

/** The session cookie this request came with, as far as it decrypts: its user and session id. */
async function presentedSession(): Promise<{ userId: string; sessionId: string } | null> {
  const cookie = await readSessionCookie(await cookies());
  const token = cookie ? await decodeSessionCookie(cookie, ensureAuthSecret()) : null;
  return token?.sessionId ? { userId: token.userId, sessionId: token.sessionId } : null;
}

/**
 * A new session for a sign-in that just succeeded, from Auth.js's jwt callback: every way in
 * (password, mailed link, provider) passes there. Returns its id, for the token's `sid` claim.
 * A session cookie this browser still held (signing in again, or afresh after a password
 * change) ends with it, so one browser is one row.
 */
export async function startSession(userId: string, method: string): Promise<string> {
  let userAgent: string | null = null;
  let network: string | null = null;
  try {
    const h = await headers();
    userAgent = h.get('user-agent')?.slice(0, 512) || null;
    network = networkOf(clientIp(h));
    const previous = await presentedSession();
    if (previous) deleteSession(previous.userId, previous.sessionId);
  } catch {
    // Outside a request (a script or a test): a session with nothing to show about it.
  }
  const id = newSessionId();
  insertSession({ id, userId, method, userAgent, network });
  return id;
}

/** Ends the session a token names, when Auth.js signs it out (its signOut event). */
export function endTokenSession(token: { sub?: string | null } & Record<string, unknown>, sessionId: string | null): void {
  if (token.sub && sessionId) deleteSession(token.sub, sessionId);
}

export type SessionView = {
  id: string;
  device: string;
  method: string;
  network: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
};

/** The reader's sign-ins for the profile, this one first. */
export function mySessions(viewer: UserSummary, currentSessionId: string | null): SessionView[] {
  const views = listSessions(viewer.id).map((row) => ({
    id: row.id,
    device: describeDevice(row.userAgent),
    method: describeMethod(row.method),
    network: row.network,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    current: row.id === currentSessionId,
  }));
  return [...views.filter((view) => view.current), ...views.filter((view) => !view.current)];
}

const signedOut = () => refuse('unauthorized:session');

/**
 * Signs out one of the reader's other sessions. A session of another reader, a made-up id and
 * one already ended are the same refusal, and change nothing. This browser's own session is
 * ended by signing out (POST /signout), which also clears the cookie.
 */
export function endSession(viewer: UserSummary | null, currentSessionId: string | null, sessionId: string): Result<{ device: string }> {
  if (!viewer) return signedOut();
  if (sessionId === currentSessionId) return refuse('invalid:session_current');
  const row = listSessions(viewer.id).find((session) => session.id === sessionId);
  if (!row || !deleteSession(viewer.id, sessionId)) return refuse('not_found:session');
  return { ok: true, value: { device: describeDevice(row.userAgent) } };
}

/** "Sign out everywhere else": every session of the reader but this one. */
export function endOtherSessions(viewer: UserSummary | null, currentSessionId: string | null): Result<{ ended: number }> {
  if (!viewer || !currentSessionId) return signedOut();
  return { ok: true, value: { ended: deleteSessionsOf(viewer.id, currentSessionId) } };
}

/** "Sign out everywhere": every session of the reader, this one too (the caller clears the cookie). */
export function endAllSessions(viewer: UserSummary | null): Result<{ ended: number }> {
  if (!viewer) return signedOut();
  return { ok: true, value: { ended: deleteSessionsOf(viewer.id, null) } };
}
