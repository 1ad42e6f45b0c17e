import 'server-only';
import { escapeUTF8 as escape } from 'entities';
import type { UserSummary } from '@/db/queries/users';
import { banMessage, can, denial, type Target } from '../permissions';

/*
 * The two places on a page that name the reader, as HTML. React draws each inside an element
 * with dangerouslySetInnerHTML, which hydration leaves as it found it, so a cached page can be
 * made one reader's by replacing just these (app/_lib/comments/reader-page.ts) and keep them when
 * its scripts start. Plain links and a plain form: they work without JavaScript.
 */

/** The header's account links: sign in, or the reader's name, their moderation link and sign out. */
export function accountNavHtml(user: UserSummary | null): string {
  if (!user) return '<a class="button button--quiet" href="/signin">Sign in</a>';
  const moderation = can(user, 'readQueue') ? '<a href="/moderation">Moderation</a>' : '';
  return (
    `${moderation}<span class="account-nav__who">Signed in as <a class="account-nav__name" href="/profile">${escape(user.name)}</a></span>` +
    '<form method="post" action="/signout"><button type="submit" class="button button--quiet">Sign out</button></form>'
  );
}

/** Above the comment box: who is commenting, or how to start, or why the reader cannot. */
export function discussionWhoHtml(user: UserSummary | null, article: NonNullable<Target['article']> & { slug: string }): string {
  const post = denial(user, 'post', { article });
  if (post === 'closed') {
    return '<p class="notice notice--closed" role="status">The discussion on this article is closed. Comments, votes and answers are read-only.</p>';
  }
  if (post === 'banned' && user?.ban) return `<p class="notice notice--error" role="status">${escape(banMessage(user.ban))}</p>`;
  if (user) return `<p class="discussion__as">Commenting as <strong>${escape(user.name)}</strong> · <a href="/profile">change name</a></p>`;
  const back = encodeURIComponent(`/articles/${article.slug}#discussion`);
  return `<p class="discussion__as"><a href="/signin?callbackUrl=${back}">Sign in to comment</a> or <a href="/signup?callbackUrl=${back}">create an account</a>.</p>`;
}
