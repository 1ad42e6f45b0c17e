import { settings } from '../config.mjs';

const configured = settings();

/**
 * Site-wide settings (declared in ../config.mjs, with defaults that work on a fresh clone).
 * SITE_URL is the public origin. Unset, sign-in follows each request's own origin
 * (publicOrigin), while canonical URLs, Open Graph and JSON-LD, which are written into cached
 * pages that every visitor shares, fall back to http://localhost:$PORT.
 */
export const site = {
  name: configured.SITE_NAME,
  description: 'Smartphone industry news, and a place for readers to discuss it.',
  /** Absolute origin for canonical URLs and social tags. */
  url: configured.SITE_URL ?? `http://localhost:${configured.PORT}`,
  locale: 'en_US',
};

const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The origin the reader's browser is on, for redirects and callbacks: SITE_URL when set, else
 * the request's own: as a trusted proxy forwards it (X-Forwarded-Host / -Proto, only with
 * TRUST_PROXY, since without a proxy a client writes those itself), or as the browser sent it
 * (Host). A malformed header falls back to `site.url`. `env` stands in for this process's
 * settings in tests.
 */
export function publicOrigin(headers: Headers, env?: Record<string, string | undefined>): string {
  const { SITE_URL, TRUST_PROXY } = settings(env);
  if (SITE_URL) return SITE_URL;
  const first = (name: string) => headers.get(name)?.split(',')[0]?.trim() || null;
  const proxied = TRUST_PROXY > 0;
  const host = (proxied ? first('x-forwarded-host') : null) ?? first('host');
  const proto = (proxied ? first('x-forwarded-proto') : null) ?? 'http';
  if (!host || !HOST.test(host) || !['http', 'https'].includes(proto)) return site.url;
  return `${proto}://${host.toLowerCase()}`;
}

export function absoluteUrl(pathname: string): string {
  return new URL(pathname, `${site.url}/`).toString();
}

export function articlePath(slug: string): string {
  return `/articles/${slug}`;
}

/** A comment's permalink: the article's view that opens at it (?comment=), scrolled to it. */
export function commentPath(slug: string, commentId: number): string {
  return `${articlePath(slug)}?comment=${commentId}#comment-${commentId}`;
}
