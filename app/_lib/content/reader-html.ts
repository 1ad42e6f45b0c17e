import 'server-only';
import { escapeUTF8 as escape } from 'entities';
import type { UserSummary } from '@/db/queries/users';
import { banMessage, can, denial, type Target } from '../permissions';
import { avatarHtml } from './avatar';

/*
 * The two places on a page that name the reader, as HTML. React draws each inside an element
 * with dangerouslySetInnerHTML, which hydration leaves as it found it, so a cached page can be
 * made one reader's by replacing just these (app/_lib/comments/reader-page.ts) and keep them when
 * its scripts start. Plain links and a plain form: they work without JavaScript.
 */

/**
 * How the header's account element (app/_components/site-header.tsx) opens in a rendered page:
 * where the signed-in fast paths (app/_lib/comments/reader-page.ts, app/search/reader) find the
 * account links of a cached page to replace (the csp and search e2e specs check a reader's name lands there).
 */
export const ACCOUNT_NAV_OPEN = '<nav aria-label="Account" class="account-nav">';

/**
 * The header's account links: sign in, or the reader's name, their moderation link and sign out.
 * Signed in, they come twice: in a row for wide screens, and in a menu behind the reader's
 * initials and name for phones, where the row ("Signed in as …", Moderation, Sign out) is wider
 * than the screen. CSS shows one of the two; the menu is a <details>, so it opens without
 * JavaScript.
 */
export function accountNavHtml(user: UserSummary | null): string {
  if (!user) return '<a class="button button--quiet" href="/signin">Sign in</a>';
  const name = escape(user.name);
  const moderation = can(user, 'readQueue') ? '<a href="/moderation">Moderation</a>' : '';
  const signOut =
    '<form id="account-signout" method="post" action="/signout"><button type="submit" class="button button--quiet">Sign out</button></form>';
  const row =
    `<div class="account-nav__row">${moderation}<span class="account-nav__who">Signed in as <a class="account-nav__name" href="/profile">${name}</a></span>${signOut}</div>`;
  const menu =
    '<details class="account-menu">' +
    `<summary class="account-menu__button">${avatarHtml(user.name)}<span class="account-menu__name"><span class="visually-hidden">Account: </span>${name}</span></summary>` +
    '<ul class="account-menu__list">' +
    // The row's sign-out form, sent from here (a form sends whether it is shown or not): one form.
    `<li><a href="/profile">Your profile</a></li>${moderation ? `<li>${moderation}</li>` : ''}` +
    '<li><button type="submit" form="account-signout" class="button button--quiet">Sign out</button></li>' +
    '</ul></details>';
  return row + menu;
}

export const CLOSED_NOTICE = 'The discussion on this article is closed. Comments, votes and answers are read-only.';

/**
 * Above the comment box: who is commenting, or how to start, or why the reader cannot. `back` is
 * where signing in returns to: the view the reader is in (its order and question).
 */
export function discussionWhoHtml(
  user: UserSummary | null,
  article: NonNullable<Target['article']> & { slug: string },
  back = `/articles/${article.slug}#discussion`,
): string {
  const post = denial(user, 'post', { article });
  // The same for every reader, so the discussion says it once, at its top (CLOSED_NOTICE).
  if (post === 'closed') return '';
  if (post === 'banned' && user?.ban) return `<p class="notice notice--error" role="status">${escape(banMessage(user.ban))}</p>`;
  if (user) return `<p class="discussion__as">Commenting as <strong>${escape(user.name)}</strong> · <a href="/profile">change name</a></p>`;
  const to = escape(encodeURIComponent(back));
  return `<p class="discussion__as"><a href="/signin?callbackUrl=${to}">Sign in to comment</a> or <a href="/signup?callbackUrl=${to}">create an account</a>.</p>`;
}
