import 'server-only';
import type { Metadata } from 'next';
import { cache } from 'react';
import { getArticleBySlug } from '@/db/queries/articles';
import { pageAlternates } from '../feeds/links';
import { articlePath, site } from './site';

/**
 * One database read per render, shared by generateMetadata and the page, with when it began: a
 * cached page counts as showing the writes made before that (app/_lib/http/shared-pages.mjs).
 */
export const loadArticle = cache((slug: string) => {
  const readAt = Date.now();
  const article = getArticleBySlug(slug);
  return article ? { ...article, readAt } : null;
});

/** Title, description, canonical URL, feeds and social tags, the same for every variant of the page. */
export function articleMetadata(slug: string): Metadata {
  const article = loadArticle(slug);
  if (!article) return { title: 'Article not found', robots: { index: false } };
  const url = articlePath(article.slug);
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
    },
    twitter: { card: 'summary', title: article.title, description: article.summary },
  };
}
