import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { articleMetadata, loadArticle } from '@/app/_lib/content/article';
import { loadDiscussion } from '@/app/_lib/comments/discussion';
import { readerLayer } from '@/app/_lib/comments/reader-layer';
import { draftFor } from '@/app/_lib/comments/draft';
import { parseView } from '@/app/_lib/comments/view';
import { getCurrentUser } from '@/app/_lib/auth/session';
import { ArticlePage } from '../_components/article-page';

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/*
 * The article for a request that carries a session cookie: proxy.ts rewrites
 * /articles/[slug] here and the address bar keeps /articles/[slug]. Rendered per request, so it
 * shows the reader's own controls and votes, and nothing waits in <Suspense>, so it works
 * without JavaScript. A forged or expired cookie renders the signed-out view.
 */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return articleMetadata((await params).slug);
}

export default async function SignedInArticleRoute({ params, searchParams }: Props) {
  const article = loadArticle((await params).slug);
  if (!article) notFound();
  const viewer = await getCurrentUser();
  const view = parseView(await searchParams);
  return (
    <ArticlePage
      article={article}
      discussion={loadDiscussion(article, view, viewer)}
      layer={readerLayer(viewer, article)}
      draft={viewer ? await draftFor(article.id) : null}
    />
  );
}
