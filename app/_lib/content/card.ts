import { countOf } from '../format';
import { articlePath, site } from './site';

/*
 * Each article's social card: the picture a link to it shows when shared (og:image, and
 * Twitter's large card), at /articles/[slug]/card.png. Its address, size and alt text live here,
 * apart from the drawing (card-image.tsx), so the article's head and its cache invalidation do
 * not load next/og.
 */
export const CARD_SIZE = { width: 1200, height: 630 } as const;
export const CARD_TYPE = 'image/png';

export type CardArticle = { slug: string; title: string; commentCount: number };

export function cardPath(slug: string): string {
  return `${articlePath(slug)}/card.png`;
}

/** The size of the discussion, as the card shows it. */
export function discussionSize(commentCount: number): string {
  return commentCount === 0 ? 'no comments yet' : countOf(commentCount, 'comment');
}

/** What the card says, for a reader who cannot see it: the same three things it shows. */
export function cardAlt(article: CardArticle): string {
  return `${article.title} — ${site.name}, ${discussionSize(article.commentCount)}`;
}
