/*
 * The route pattern a request path belongs to ("/articles/[slug]"), for the request log and the
 * metrics: labelled by pattern, the metrics stay a fixed set of series however many articles and
 * comments there are (a raw path per label would grow without bound).
 *
 * The patterns come from the build's own list of app routes, so a new route is labelled without
 * touching this file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseSetting } from '../config.mjs';

type Matcher = { pattern: string; regex: RegExp; ranks: number[] };

/** Next's internal pages, never a reader's address. */
const INTERNAL = new Set(['/_global-error', '/_not-found']);

function segmentSource(segment: string): { source: string; rank: number } {
  if (/^\[\[\.\.\..+\]\]$/.test(segment)) return { source: '(?:/.*)?', rank: 3 };
  if (/^\[\.\.\..+\]$/.test(segment)) return { source: '/.+', rank: 2 };
  if (/^\[.+\]$/.test(segment)) return { source: '/[^/]+', rank: 1 };
  return { source: `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, rank: 0 };
}

/** Matchers for route patterns; at the first segment where two differ, a static one wins over a dynamic one, as in Next. */
export function compileRoutes(patterns: string[]): Matcher[] {
  const byPrecedence = (a: Matcher, b: Matcher) => {
    for (let i = 0; i < Math.min(a.ranks.length, b.ranks.length); i++) {
      if (a.ranks[i] !== b.ranks[i]) return a.ranks[i]! - b.ranks[i]!;
    }
    return b.ranks.length - a.ranks.length;
  };
  return patterns
    .filter((pattern) => !INTERNAL.has(pattern))
    .map((pattern) => {
      const parts = pattern === '/' ? [] : pattern.split('/').slice(1).map(segmentSource);
      const source = parts.map((part) => part.source).join('') || '/';
      return { pattern, regex: new RegExp(`^${source}/?$`), ranks: parts.map((part) => part.rank) };
    })
    .sort(byPrecedence);
}

/** The label for a path: its route pattern, or a fixed bucket for everything else. */
export function routeOf(matchers: Matcher[], pathname: string, status: number): string {
  if (pathname.startsWith('/_next/static/')) return '/_next/static';
  if (pathname.startsWith('/_next/')) return '/_next';
  for (const matcher of matchers) if (matcher.regex.test(pathname)) return matcher.pattern;
  return status === 404 ? 'not-found' : 'static-file';
}

/** The app's route patterns from the build in `distDir` (none before a build, e.g. in unit tests). */
export function builtRoutePatterns(distDir: string = parseSetting('NEXT_DIST_DIR')): string[] {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(distDir, 'app-path-routes-manifest.json'), 'utf8')) as Record<string, string>;
    return [...new Set(Object.values(manifest))];
  } catch {
    return [];
  }
}
