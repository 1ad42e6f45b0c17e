import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { articleMetadata, loadArticle } from '@/app/_lib/content/article';
import { readerLayer } from '@/app/_lib/comments/reader-layer';
import { loadDiscussion, resolveView } from '@/app/_lib/comments/discussion';
import { articleViewHref, canonicalView } from '@/app/_lib/comments/view';
import { ArticlePage } from '../../_components/article-page';

type Props = { params: Promise<{ slug: string; view: string }> };

/*
 * A signed-out reader's view of the discussion other than the default (another order, a later
 * page, a permalink). proxy.ts rewrites /articles/[slug]?sort=… here, so each view is one
 * cacheable page, revalidated with the article on every write. A view naming a question,
 * comment or cursor that does not exist is a 404, which is not stored.
 */
// As for the article page (../../page.tsx): writes revalidate, the hour is a backstop.
export const revalidate = 3600;

export function generateStaticParams(): { slug: string; view: string }[] {
  return [];
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { ...articleMetadata((await params).slug), robots: { index: false, follow: true } };
}

export default async function ArticleViewRoute({ params }: Props) {
  const { slug, view } = await params;
  const article = loadArticle(slug);
  const discussionView = canonicalView(view);
  // Not found, and not stored: the cache handler keeps only pages that rendered (200).
  const resolved = article && discussionView ? resolveView(article, discussionView) : null;
  if (!article || !resolved) notFound();
  // An older "next page" link (its thread's score has changed since): the same page, as spelled now.
  if (resolved.after !== discussionView?.after) redirect(articleViewHref(slug, resolved));
  return <ArticlePage article={article} discussion={loadDiscussion(article, resolved, null)} layer={readerLayer(null, article)} />;
}
