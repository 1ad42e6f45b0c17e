import 'server-only';
import { escapeUTF8 } from 'entities';
import { Feed } from 'feed';
import { getArticleBySlug, getArticleRef, listFeedArticles } from '@/db/queries/articles';
import { newestListedComments } from '@/db/queries/comments';
import { markdownToText } from '../content/markdown';
import { absoluteUrl, articlePath, commentPath, site } from '../content/site';
import { SITE_FEED_PATH, commentsFeedPath, commentsFeedTitle, siteFeedTitle } from './links';

/*
 * The Atom 1.0 documents, written by the `feed` package (it escapes text and splits "]]>" out
 * of CDATA). A comment's content is the HTML stored when it was posted or edited, rendered and
 * sanitized once by app/_lib/content/markdown.ts: the same HTML the article page shows.
 */

/** How many comments a comments feed holds: the newest ones. */
export const COMMENTS_FEED_SIZE = 50;

/** How much of a comment its entry's title quotes, in characters. */
const SNIPPET_LENGTH = 80;

/*
 * Characters XML 1.0 cannot carry at all, not even as a character reference: C0 controls other
 * than tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF. A comment may hold
 * some (the API refuses only null bytes and lone surrogates) and an HTML page shows them, but
 * one in a feed makes the whole document unreadable, so they are left out. Escaping is the
 * library's; this is not escaping, these have no escaped form.
 */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlSafe(text: string): string {
  return text.replace(NOT_XML, '');
}

/** Text for an element the feed writes as `type="html"` (titles, summaries): shown as written, never read as markup. */
const htmlText = (text: string) => escapeUTF8(xmlSafe(text));

function snippet(markdown: string): string {
  const text = markdownToText(markdown).replace(/\s+/g, ' ').trim();
  const chars = [...text];
  return chars.length <= SNIPPET_LENGTH ? text : `${chars.slice(0, SNIPPET_LENGTH - 1).join('').trimEnd()}…`;
}

const latest = (dates: Date[], fallback: Date) => new Date(Math.max(fallback.getTime(), ...dates.map((d) => d.getTime())));

/** The site's articles, newest first. */
export function siteFeedXml(): string {
  const articles = listFeedArticles();
  const feed = new Feed({
    id: absoluteUrl('/'),
    title: xmlSafe(siteFeedTitle),
    description: site.description,
    link: absoluteUrl('/'),
    language: 'en',
    feedLinks: { atom: absoluteUrl(SITE_FEED_PATH) },
    updated: latest(articles.map((a) => a.updatedAt), new Date(0)),
    generator: false,
  });
  for (const article of articles) {
    const url = absoluteUrl(articlePath(article.slug));
    feed.addItem({
      id: url,
      link: url,
      title: htmlText(article.title),
      description: htmlText(article.summary),
      date: article.updatedAt,
      published: article.publishedAt ?? article.updatedAt,
      author: [{ name: xmlSafe(site.name) }],
    });
  }
  return feed.atom1();
}

/** Whether an article of this slug exists: a feed is made only for one that does. */
export function articleExists(slug: string): boolean {
  return getArticleRef(slug) !== null;
}

/**
 * An article's newest comments shown to everyone, newest first, or null for an unknown article.
 * Which comments those are is db/queries/comments.ts's rule (`listedForEveryone`): held, hidden,
 * rejected and deleted comments, and those a ban hid, are never in it.
 */
export function commentsFeedXml(slug: string): string | null {
  const article = getArticleBySlug(slug);
  if (!article) return null;
  const comments = newestListedComments(article.id, COMMENTS_FEED_SIZE);
  const feed = new Feed({
    id: absoluteUrl(commentsFeedPath(article.slug)),
    title: xmlSafe(commentsFeedTitle(article.title)),
    description: xmlSafe(article.summary),
    link: absoluteUrl(articlePath(article.slug)),
    language: 'en',
    feedLinks: { atom: absoluteUrl(commentsFeedPath(article.slug)) },
    updated: latest(
      comments.map((c) => c.editedAt ?? c.createdAt),
      article.publishedAt ?? article.updatedAt,
    ),
    generator: false,
  });
  for (const comment of comments) {
    const url = absoluteUrl(commentPath(article.slug, comment.id));
    const text = snippet(comment.markdown);
    feed.addItem({
      id: url,
      link: url,
      title: htmlText(text ? `${comment.authorName}: ${text}` : comment.authorName),
      content: xmlSafe(comment.html),
      date: comment.editedAt ?? comment.createdAt,
      published: comment.createdAt,
      author: [{ name: xmlSafe(comment.authorName) }],
    });
  }
  return feed.atom1();
}
