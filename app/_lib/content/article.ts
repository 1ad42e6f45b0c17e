import 'server-only';
import type { Metadata } from 'next';
import { cache } from 'react';
import { getArticleBySlug } from '@/db/queries/articles';
import { pageAlternates } from '../feeds/links';
import { articlePath, site } from './site';
import { CARD_SIZE, CARD_TYPE, cardAlt, cardPath } from './card';

/**
 * One database read per render, shared by generateMetadata and the page, with when it began: a
 * cached page counts as showing the writes made before that (app/_lib/http/shared-pages.mjs).
 */
export const loadArticle = cache((slug: string) => {
  const readAt = Date.now();
  const article = getArticleBySlug(slug);
  return article ? { ...article, readAt } : null;
});

/**
 * Title, description, canonical URL, feeds and social tags, the same for every variant of the
 * page. The card's alt text states the comment count: the cached page is revalidated by the same
 * writes as the card, so the two agree. Relative URLs are made absolute by app/layout.tsx's
 * metadataBase.
 */
export function articleMetadata(slug: string): Metadata {
  const article = loadArticle(slug);
  if (!article) return { title: 'Article not found', robots: { index: false } };
  const url = articlePath(article.slug);
  const card = { url: cardPath(article.slug), ...CARD_SIZE, type: CARD_TYPE, alt: cardAlt(article) };
  return {
    title: article.title,
    description: article.summary,
    alternates: pageAlternates(url, article),
    openGraph: {
      type: 'article',
      title: article.title,
      description: article.summary,
      url,
      siteName: site.name,
      locale: site.locale,
      images: [card],
    },
    twitter: { card: 'summary_large_image', title: article.title, description: article.summary, images: [{ url: card.url, alt: card.alt }] },
  };
}
