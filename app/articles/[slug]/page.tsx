import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ArticlePageView } from '@/app/_components/article-page-view';
import { loadArticle } from '@/app/_lib/article';
import { articlePath, site } from '@/app/_lib/site';

type Props = { params: Promise<{ slug: string }> };

/*
 * Caching: this page reads no cookies or headers, so Next renders it once on the first request
 * and serves it from the full-route cache until a write calls revalidatePath(articlePath(slug)).
 * No path is prerendered at build time: the build never opens the database, and there is no
 * build-time copy that a revalidation could fall back to.
 */
export function generateStaticParams(): { slug: string }[] {
  return [];
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
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

export default async function ArticleRoute({ params }: Props) {
  const { slug } = await params;
  const article = loadArticle(slug);
  if (!article) notFound();

  return <ArticlePageView article={article} />;
}
