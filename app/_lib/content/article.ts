import 'server-only';
import type { Metadata } from 'next';
import { cache } from 'react';
import { getArticleBySlug } from '@/db/queries/articles';
import { articlePath, site } from './site';

/** One database read per render, shared by generateMetadata and the page. */
export const loadArticle = cache((slug: string) => getArticleBySlug(slug));

/** Title, description, canonical URL and social tags, the same for both variants of the page. */
export function articleMetadata(slug: string): Metadata {
  const article = loadArticle(slug);
  if (!article) return { title: 'Article not found', robots: { index: false } };
  const url = articlePath(article.slug);
  return {
    title: article.title,
    description: article.summary,
    alternates: { canonical: url },
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
