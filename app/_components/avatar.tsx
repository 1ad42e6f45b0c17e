import { avatarOf } from '@/app/_lib/content/avatar';

/** An avatar drawn from the reader's initials, coloured by their name (app/_lib/content/avatar.ts). */
export function Avatar({ name }: { name: string }) {
  const { initials, hue } = avatarOf(name);
  return (
    <span className="avatar" aria-hidden="true" style={{ ['--avatar-hue' as string]: String(hue) }}>
      {initials}
    </span>
  );
}
