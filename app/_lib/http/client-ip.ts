/*
 * The client address for per-IP limits, and when there is none to trust.
 *
 * Next gives a route no socket address: it only fills X-Forwarded-For from the socket when the
 * request has none, so without a proxy in front every entry of that header is whatever the
 * client wrote. TRUST_PROXY says how many proxies (hops) in front of `next start` append the
 * address they saw; the Nth entry from the right is then the one no client can choose. With 0,
 * the default for `npm start` exposed directly, no entry is trusted and every client shares one
 * bucket, so the per-IP limits become site-wide limits a client cannot dodge.
 */
import { parseSetting, settings } from '../config.mjs';

/** The key every client shares when no address can be trusted. */
export const ANY_CLIENT = 'any';

let configured: number | undefined;

/**
 * TRUST_PROXY as a number of hops: this process's setting, or `value` read as that setting would
 * be (a ConfigError when refused). A bad setting stops the server at start (instrumentation.ts)
 * rather than silently trusting the client or disabling the limits.
 */
export function trustedProxyHops(value?: string): number {
  return value === undefined ? settings().TRUST_PROXY : parseSetting('TRUST_PROXY', { TRUST_PROXY: value });
}

/** The address a per-IP limit counts, or ANY_CLIENT when the request carries none to trust. */
export function clientIp(headers: Headers, hops = (configured ??= trustedProxyHops())): string {
  if (hops === 0) return ANY_CLIENT;
  const entries = (headers.get('x-forwarded-for') ?? '').split(',').map((entry) => entry.trim());
  // Fewer entries than proxies: the request did not come through all of them.
  const entry = entries.length >= hops ? entries[entries.length - hops] : '';
  return entry || ANY_CLIENT;
}
