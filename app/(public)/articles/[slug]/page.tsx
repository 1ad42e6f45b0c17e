import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ArticlePageView } from '@/app/_components/article-page-view';
import { articleMetadata, loadArticle } from '@/app/_lib/article';

type Props = { params: Promise<{ slug: string }> };

/*
 * The article as every signed-out reader sees it. It reads no cookies or headers, so Next
 * renders it once on the first request and serves it from the full-route cache until a write
 * calls revalidatePath(articlePath(slug)). No path is prerendered at build time: the build never
 * opens the database, and there is no build-time copy that a revalidation could fall back to.
 * Requests with a session cookie never reach this page: proxy.ts rewrites them to
 * /signed-in/articles/[slug], the per-request variant built from the same components.
 */
export function generateStaticParams(): { slug: string }[] {
  return [];
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return articleMetadata((await params).slug);
}

export default async function ArticleRoute({ params }: Props) {
  const article = loadArticle((await params).slug);
  if (!article) notFound();
  return <ArticlePageView article={article} viewer={null} />;
}
