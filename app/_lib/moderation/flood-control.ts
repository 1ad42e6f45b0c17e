import 'server-only';
import { takeLimit } from '../rate-limit';
import type { UserSummary } from '@/db/queries/users';
import { refuse, type Refusal } from '../http/errors';
import { rateLimits } from '../limit-settings';

export function waitText(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 90 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`;
}

const DOING = { votes: 'voting', stances: 'changing your answer', edits: 'editing', renames: 'changing your name' } as const;

/**
 * Counts one vote, stance, edit or rename against the reader's limit (app/_lib/limits.ts).
 * Each of these re-renders cached pages, so a script cannot make the server re-render at will.
 */
export function throttle(viewer: UserSummary, kind: keyof typeof DOING): Refusal | null {
  const limits = rateLimits();
  if (limits.readerLimitsOff) return null;
  const hit = takeLimit(kind, viewer.id, limits[kind]);
  return hit.allowed ? null : refuse('rate_limited:action', undefined, `You are ${DOING[kind]} too often. Try again in ${waitText(hit.retryAfterMs)}.`);
}
