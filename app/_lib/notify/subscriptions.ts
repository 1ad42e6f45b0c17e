import 'server-only';
import { getArticleRef } from '@/db/queries/articles';
import { articleTitle, notificationSettingsOf, setNotifyReplies, subscribe, subscriptionsOf, unsubscribe } from '@/db/queries/notifications';
import type { UserSummary } from '@/db/queries/users';
import { refuse, type Result } from '../http/errors';

/*
 * A reader's own notification choices: "Email me about new comments" on an article, and the
 * profile's reply mail switch and list. The unsubscribe link (unsubscribe.ts) changes the same.
 */

export function setDiscussionSubscription(viewer: UserSummary | null, slug: string, on: boolean): Result<{ subscribed: boolean; message: string }> {
  if (!viewer) return refuse('unauthorized:subscribe');
  const article = getArticleRef(slug);
  if (!article) return refuse('not_found:article');
  if (on) subscribe(viewer.id, article.id);
  else unsubscribe(viewer.id, article.id);
  return {
    ok: true,
    value: on
      ? { subscribed: true, message: 'Subscribed: you will get an email about new comments here.' }
      : { subscribed: false, message: 'Unsubscribed: no more emails about new comments here.' },
  };
}

export function setReplyMail(viewer: UserSummary | null, on: boolean): Result<{ message: string }> {
  if (!viewer) return refuse('unauthorized:session');
  setNotifyReplies(viewer.id, on);
  return { ok: true, value: { message: on ? 'Saved: you will get an email when someone replies to you.' : 'Saved: no emails about replies.' } };
}

export function unsubscribeDiscussion(viewer: UserSummary | null, articleId: number): Result<{ message: string }> {
  if (!viewer) return refuse('unauthorized:session');
  const title = articleTitle(articleId);
  if (!title) return refuse('not_found:article');
  unsubscribe(viewer.id, articleId);
  return { ok: true, value: { message: `Unsubscribed from “${title}”.` } };
}

/** What the profile's notification section shows. */
export function myNotifications(viewer: UserSummary): { notifyReplies: boolean; verified: boolean; discussions: { articleId: number; slug: string; title: string }[] } {
  const own = notificationSettingsOf(viewer.id) ?? { notifyReplies: false, verified: false };
  return { ...own, discussions: subscriptionsOf(viewer.id) };
}
