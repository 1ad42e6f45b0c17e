/** An avatar drawn from the reader's initials, coloured by their name: no image service. */
export function Avatar({ name }: { name: string }) {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const initials = ((words[0]?.[0] ?? '?') + (words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '')).toUpperCase();
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return (
    <span className="avatar" aria-hidden="true" style={{ ['--avatar-hue' as string]: String(hash % 360) }}>
      {initials}
    </span>
  );
}
