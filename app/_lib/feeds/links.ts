import type { Metadata } from 'next';
import { articlePath, site } from '../content/site';

/*
 * Where the Atom feeds live, and the <link rel="alternate"> tags that let feed readers find
 * them from any page. Next merges metadata one key deep: a page that sets `alternates` (for its
 * canonical URL) replaces the root layout's, so such pages build theirs here and keep the feed.
 */

export const ATOM_TYPE = 'application/atom+xml';
export const SITE_FEED_PATH = '/feed.xml';

export function commentsFeedPath(slug: string): string {
  return `${articlePath(slug)}/comments.xml`;
}

export const siteFeedTitle = `${site.name}: articles`;
export const commentsFeedTitle = (articleTitle: string) => `Comments on “${articleTitle}”`;

/**
 * A page's `alternates`: its canonical URL, if any, and the feeds named in its head: the site's
 * everywhere, and an article's comments on its pages.
 */
export function pageAlternates(canonical?: string, article?: { slug: string; title: string }): NonNullable<Metadata['alternates']> {
  const feeds = [{ url: SITE_FEED_PATH, title: siteFeedTitle }];
  if (article) feeds.push({ url: commentsFeedPath(article.slug), title: commentsFeedTitle(article.title) });
  return { ...(canonical ? { canonical } : {}), types: { [ATOM_TYPE]: feeds } };
}
