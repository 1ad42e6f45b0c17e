import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ArticlePageView } from '@/app/_components/article-page-view';
import { articleMetadata, loadArticle } from '@/app/_lib/article';
import { getCurrentUser } from '@/app/_lib/session';

type Props = { params: Promise<{ slug: string }> };

/*
 * The article for a request that carries a session cookie (proxy.ts rewrites /articles/[slug]
 * here; the address bar keeps /articles/[slug]). Rendered per request, so it can show the
 * reader's own controls, and it works without JavaScript because nothing waits in <Suspense>.
 * A forged or expired cookie simply renders the signed-out view.
 */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return articleMetadata((await params).slug);
}

export default async function SignedInArticleRoute({ params }: Props) {
  const article = loadArticle((await params).slug);
  if (!article) notFound();
  return <ArticlePageView article={article} viewer={await getCurrentUser()} />;
}
