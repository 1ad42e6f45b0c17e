import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { articleMetadata, loadArticle } from '@/app/_lib/content/article';
import { loadDiscussion } from '@/app/_lib/comments/discussion';
import { DEFAULT_VIEW } from '@/app/_lib/comments/view';
import { ArticlePage } from './_components/article-page';

type Props = { params: Promise<{ slug: string }> };

/*
 * The article as every signed-out reader sees it, with the first page of its discussion. It
 * reads no cookies, headers or search params, so Next renders it once on the first request and
 * serves it from the full-route cache until a write revalidates it (articleCache.revalidate in
 * app/_lib/comments/article-cache.ts). Nothing is prerendered at build time: the build never opens
 * the database, and there is no build-time copy that a revalidation could fall back to.
 *
 * proxy.ts sends other requests for this address elsewhere: a session cookie to ./signed-in
 * (rendered per request), and ?sort / ?after / ?comment to ./view/[view] (cached per view).
 */
/*
 * Writes revalidate this page within a second (articleCache.revalidate), so it never needs re-rendering
 * on a timer: the hour is only a backstop. What shared caches (the nginx edge) may do is set in
 * next.config.js: keep it a second, and serve it stale for a minute while one request refreshes
 * it ("public, s-maxage=1, stale-while-revalidate=59"). A one-second revalidate here would also
 * re-render the page every second under steady reading, a stall the readers of a page with a
 * thousand comments would feel (about 0.1 s of the event loop each time).
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
  return <ArticlePage article={article} discussion={loadDiscussion(article, DEFAULT_VIEW, null)} viewer={null} />;
}
