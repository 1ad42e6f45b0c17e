import type { ArticlePage } from '@/db/queries/articles';
import { absoluteUrl, articlePath, site } from './site';

/** schema.org NewsArticle for the article page. Only facts the content gives: no invented dates or authors. */
export function newsArticleJsonLd(article: ArticlePage, bodyText: string): Record<string, unknown> {
  const url = absoluteUrl(articlePath(article.slug));
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    '@id': `${url}#article`,
    headline: article.title,
    description: article.summary,
    articleBody: bodyText,
    url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    inLanguage: 'en',
    isAccessibleForFree: true,
    publisher: { '@type': 'Organization', name: site.name, url: site.url },
    ...(article.publishedAt ? { datePublished: article.publishedAt.toISOString() } : {}),
    ...(article.sourceLabel
      ? { isBasedOn: { '@type': 'CreativeWork', name: article.sourceLabel, ...(article.sourceUrl ? { url: article.sourceUrl } : {}) } }
      : {}),
  };
}

/** JSON for a <script type="application/ld+json">: `<` escaped so no text can close the tag. */
export function serializeJsonLd(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c');
}
