import { settings } from '@/app/_lib/config.mjs';
import { loadArticle } from '@/app/_lib/content/article';
import { socialCard } from '@/app/_lib/content/card-image';

/*
 * The benchmark's baseline for the social card: the card of the article the bench measures
 * (BENCH_BASELINE_SLUG), drawn once at build time from the bench's database, as
 * /bench/baseline is for the page. `next start` serves the stored PNG and never runs this
 * code, so /articles/[slug]/card.png (drawn on first request, then from Next's cache) is
 * measured against Next's own ceiling for an image of the same bytes. Every other build
 * (BENCH_BASELINE unset) stores a 404 and never opens the database.
 */
export const dynamic = 'force-static';

export function GET() {
  const { BENCH_BASELINE, BENCH_BASELINE_SLUG } = settings();
  if (!BENCH_BASELINE || !BENCH_BASELINE_SLUG) return new Response(null, { status: 404 });
  const article = loadArticle(BENCH_BASELINE_SLUG);
  // Fail the build rather than store a card that is not the one the bench compares against.
  if (!article) throw new Error(`bench card baseline: no article "${BENCH_BASELINE_SLUG}" in DATABASE_PATH (${settings().DATABASE_PATH})`);
  return socialCard(article);
}
