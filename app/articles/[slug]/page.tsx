import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { articleMetadata, loadArticle } from '@/app/_lib/content/article';
import { readerLayer } from '@/app/_lib/comments/reader-layer';
import { loadDiscussion } from '@/app/_lib/comments/discussion';
import { DEFAULT_VIEW } from '@/app/_lib/comments/view';
import { ArticlePage } from './_components/article-page';

type Props = { params: Promise<{ slug: string }> };

/*
 * The article as every signed-out reader sees it. It reads no cookies, headers or search
 * params, so Next renders it once and serves it from the full-route cache until a write
 * revalidates it (app/_lib/comments/article-cache.ts); nothing is prerendered at build time,
 * so the build never opens the database. proxy.ts sends a session cookie to ./signed-in and
 * ?sort / ?after / ?comment / ?question to ./view/[view].
 */
/*
 * Writes revalidate the page, so the hour is only a backstop: a one-second revalidate would
 * re-render a 1,000-comment page every second under steady reading. Shared caches get their
 * own, shorter lifetime from next.config.js.
 */
export const revalidate = 3600;

export function generateStaticParams(): { slug: string }[] {
  return [];
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return articleMetadata((await params).slug);
}

export default async function ArticleRoute({ params }: Props) {
  const article = loadArticle((await params).slug);
  if (!article) notFound();
  return <ArticlePage article={article} discussion={loadDiscussion(article, DEFAULT_VIEW, null)} layer={readerLayer(null, article)} />;
}
