import { escapeUTF8 as escape } from 'entities';

/*
 * An avatar drawn from a reader's initials, coloured by their name: no image service. The
 * colour is a hue from the name; app/globals.css (.avatar) keeps every hue dark enough for the
 * white initials (tested in app/_components/avatar.test.ts).
 */

export function avatarOf(name: string): { initials: string; hue: number } {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const initials = ((words[0]?.[0] ?? '?') + (words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '')).toUpperCase();
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return { initials, hue: hash % 360 };
}

/** The same avatar as HTML, for the parts of a page written as HTML (the header's account menu). */
export function avatarHtml(name: string): string {
  const { initials, hue } = avatarOf(name);
  return `<span class="avatar" aria-hidden="true" style="--avatar-hue:${hue}">${escape(initials)}</span>`;
}
