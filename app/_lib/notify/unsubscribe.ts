import 'server-only';
import { articleTitle, muteThread, stopAllNotifications, unsubscribe, userExists } from '@/db/queries/notifications';
import { refuse, type Result } from '../http/errors';
import { readUnsubscribeToken, type UnsubscribeScope } from './token';

/*
 * One-click unsubscribe, for the link in every notification and its List-Unsubscribe header.
 * The signed token is the authority (token.ts): no sign-in, no cookie, no form token, so it
 * works from a mail program's RFC 8058 POST and from a browser without JavaScript alike.
 */

export type UnsubscribeChoice = 'scope' | 'all';

export type UnsubscribeLink = { scope: UnsubscribeScope; userId: string; what: string };

/** What a link's "this" stops, in words. */
function scopeWords(scope: UnsubscribeScope): string {
  if (scope === 'digest') return 'the moderators’ digest';
  if (scope.startsWith('thread:')) return 'replies in this thread';
  const title = articleTitle(Number(scope.slice('article:'.length)));
  return title ? `new comments on “${title}”` : 'new comments in this discussion';
}

/** The link's reader and scope, or a refusal when it was not signed here or the account is gone. */
export function readUnsubscribeLink(token: unknown): Result<UnsubscribeLink> {
  const read = readUnsubscribeToken(token);
  if (!read || !userExists(read.userId)) return refuse('invalid:unsubscribe_link');
  return { ok: true, value: { ...read, what: scopeWords(read.scope) } };
}

/** Stops mail for the link's scope ("this thread"), or all notification mail. */
export function unsubscribeByLink(token: unknown, choice: UnsubscribeChoice): Result<{ message: string }> {
  const link = readUnsubscribeLink(token);
  if (!link.ok) return link;
  const { userId, scope, what } = link.value;
  if (choice === 'all' || scope === 'digest') {
    stopAllNotifications(userId);
    return { ok: true, value: { message: 'Done: you will get no more notification emails. You can turn them on again in your profile.' } };
  }
  if (scope.startsWith('thread:')) muteThread(userId, Number(scope.slice('thread:'.length)));
  else unsubscribe(userId, Number(scope.slice('article:'.length)));
  return { ok: true, value: { message: `Done: no more emails about ${what}.` } };
}
