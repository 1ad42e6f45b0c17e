import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { articleMetadata, loadArticle } from '@/app/_lib/content/article';
import { readerLayer } from '@/app/_lib/comments/reader-layer';
import { settings } from '@/app/_lib/config.mjs';
import { loadDiscussion } from '@/app/_lib/comments/discussion';
import { DEFAULT_VIEW } from '@/app/_lib/comments/view';
import { ArticlePage } from '../../articles/[slug]/_components/article-page';

/*
 * The benchmark's baseline: Next's own ceiling for a static page the size of the article page
 * it measures. scripts/bench.mjs writes its database (the seeded article, a copy of it with
 * 1,000 generated comments) BEFORE it runs `next build`, and builds with BENCH_BASELINE=1,
 * BENCH_BASELINE_SLUG=<that copy> and DATABASE_PATH=<that database>. This page then reads the
 * same rows through the same loaders and draws them with the same components as
 * /articles/[slug], once, at build time: `next start` serves the stored HTML and never runs this
 * code or opens the database for it. So the baseline has the measured page's bytes (the bench
 * prints both sizes) without any of its per-request or per-revalidation work.
 *
 * Every other build (BENCH_BASELINE unset) prerenders it as a 404 and never opens the database.
 */
export const dynamic = 'force-static';

/** The article to draw, or null when this build is not the benchmark's. */
function baselineSlug(): string | null {
  const { BENCH_BASELINE, BENCH_BASELINE_SLUG } = settings();
  return (BENCH_BASELINE && BENCH_BASELINE_SLUG) || null;
}

export function generateMetadata(): Metadata {
  const slug = baselineSlug();
  if (!slug) return { title: 'Benchmark baseline', robots: { index: false } };
  // The article's own head (title, description, canonical, social tags), so the bytes match too.
  return { ...articleMetadata(slug), robots: { index: false } };
}

export default function BenchBaselinePage() {
  const slug = baselineSlug();
  if (!slug) notFound();
  const article = loadArticle(slug);
  // Fail the build rather than prerender a page that is not the one the bench compares against.
  if (!article) throw new Error(`bench baseline: no article "${slug}" in DATABASE_PATH (${settings().DATABASE_PATH})`);
  return <ArticlePage article={article} discussion={loadDiscussion(article, DEFAULT_VIEW, null)} layer={readerLayer(null, article)} />;
}
