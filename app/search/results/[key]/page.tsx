import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { PageShell } from '@/app/_components/site-header';
import { SearchResults, searchMetadata } from '@/app/_components/search-results';
import { searchOfCacheKey } from '@/app/_lib/search/query';

/*
 * A signed-out reader's search, stored in Next's page cache under its canonical query (proxy.ts
 * rewrites /search?q=… here; the address bar keeps /search?q=…). A search is rendered once and
 * then served as the article pages are, until a write that could change any result makes it
 * stale (app/_lib/comments/article-cache.ts), or another process changes an article
 * (outside-changes.mjs). The cache handler keeps these pages in a pool of their own, so made-up
 * searches cannot push article pages out (cache-bounds.mjs). A key that is not a canonical
 * search's is a 404, which is not stored.
 */
// Writes revalidate; the hour is a backstop, as for the article pages.
export const revalidate = 3600;

export function generateStaticParams(): { key: string }[] {
  return [];
}

export const metadata: Metadata = searchMetadata;

type Props = { params: Promise<{ key: string }> };

export default async function CachedSearchPage({ params }: Props) {
  const search = searchOfCacheKey((await params).key);
  if (!search) notFound();
  return (
    <PageShell user={null}>
      <SearchResults params={search} />
    </PageShell>
  );
}
