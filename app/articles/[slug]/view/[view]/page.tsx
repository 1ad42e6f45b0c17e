import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { articleMetadata, loadArticle } from '@/app/_lib/article';
import { loadDiscussion } from '@/app/_lib/comments/discussion';
import { viewFromSegment } from '@/app/_lib/comments/view';
import { ArticlePage } from '../../_components/article-page';

type Props = { params: Promise<{ slug: string; view: string }> };

/*
 * A signed-out reader's view of the discussion other than the default (another order, a later
 * page, a permalink). proxy.ts rewrites /articles/[slug]?sort=… here, so each view is one
 * cacheable page, revalidated with the article on every write.
 */
/*
 * Shared caches (the nginx edge) may keep the page for a second and serve it stale for a
 * minute while it refreshes: Cache-Control "s-maxage=1, stale-while-revalidate=59" (with
 * expireTime in next.config.js). Writes still revalidate at once; the one-second lifetime only
 * bounds how long anything else could stay stale.
 */
export const revalidate = 1;

export function generateStaticParams(): { slug: string; view: string }[] {
  return [];
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { ...articleMetadata((await params).slug), robots: { index: false, follow: true } };
}

export default async function ArticleViewRoute({ params }: Props) {
  const { slug, view } = await params;
  const article = loadArticle(slug);
  if (!article) notFound();
  return <ArticlePage article={article} discussion={loadDiscussion(article, viewFromSegment(view), null)} viewer={null} />;
}
