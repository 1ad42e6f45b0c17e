import { ImportError } from './xml-stream';
import type { SourceThread } from './sources';

/*
 * Which article of this blog a source thread belongs to: an explicit --map / --map-file entry
 * (OLD_URL_OR_PATH=slug), else the one article whose slug the thread's path or slug names.
 */

/** An address or path as mapping keys compare it: no query, fragment or trailing slash, lower case. */
export function mapKey(value: string): string {
  return value.trim().replace(/[?#].*$/, '').replace(/\/+$/, '').toLowerCase();
}

function pathOf(link: string): string | null {
  try {
    return new URL(link).pathname;
  } catch {
    return link.startsWith('/') ? link : null;
  }
}

/** The --map pairs and the lines of a --map-file (blank lines and # comments skipped). */
export function parseMappings(pairs: string[], mapFile: { name: string; text: string } | null): Map<string, string> {
  const map = new Map<string, string>();
  const add = (entry: string, where: string) => {
    const at = entry.lastIndexOf('=');
    const from = at > 0 ? mapKey(entry.slice(0, at)) : '';
    const slug = at > 0 ? entry.slice(at + 1).trim() : '';
    if (!from || !slug) throw new ImportError(`${where}: "${entry}" is not OLD_URL_OR_PATH=slug.`);
    map.set(from, slug);
  };
  for (const pair of pairs) add(pair, '--map');
  mapFile?.text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() && !line.trim().startsWith('#')) add(line.trim(), `${mapFile.name}, line ${i + 1}`);
  });
  return map;
}

/** Refuses a mapping to a slug this blog does not have, before anything is read. */
export function checkMappings(map: Map<string, string>, slugs: Map<string, number>): void {
  for (const [from, slug] of map) {
    if (!slugs.has(slug)) throw new ImportError(`--map ${from}=${slug}: this blog has no article with the slug "${slug}".`);
  }
}

export type ThreadMatch = { articleId: number; slug: string } | { articleId: null; why: string };

export function matchThread(thread: SourceThread, map: Map<string, string>, slugs: Map<string, number>): ThreadMatch {
  const path = thread.link ? pathOf(thread.link) : null;
  const keys = [thread.link, path, thread.slug].filter((k): k is string => !!k).map(mapKey);
  for (const key of keys) {
    const slug = map.get(key);
    if (slug !== undefined) return { articleId: slugs.get(slug)!, slug };
  }
  const segments = (path ?? '').split('/').filter(Boolean);
  const candidates = new Set([thread.slug, segments.at(-1)].filter((s): s is string => !!s && slugs.has(s)));
  if (candidates.size === 1) {
    const [slug] = candidates as unknown as [string];
    return { articleId: slugs.get(slug)!, slug };
  }
  if (candidates.size > 1) return { articleId: null, why: `ambiguous: could be ${[...candidates].join(' or ')}` };
  return { articleId: null, why: 'no article with that path or slug' };
}
