import { loadArticle } from '@/app/_lib/content/article';
import { socialCard } from '@/app/_lib/content/card-image';
import { jsonError } from '@/app/_lib/http/api';

/*
 * The article's social card (app/_lib/content/card-image.tsx), named by og:image in its head.
 * Drawn once and served from Next's cache like the article page: nothing is drawn at build time
 * (no params, so the build never opens the database), and the article's writes revalidate it
 * (app/_lib/comments/article-cache.ts) so the comment count it shows follows the discussion.
 * The hour is only a backstop, as for the page. next.config.js gives it a short shared-cache life.
 */
export const revalidate = 3600;

export function generateStaticParams(): { slug: string }[] {
  return [];
}

export async function GET(_request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const article = loadArticle((await params).slug);
  // Not stored: the cache handler keeps only responses that rendered (200).
  if (!article) return jsonError('not_found:article');
  return socialCard(article);
}
