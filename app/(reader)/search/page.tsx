import { SearchResults, searchMetadata } from '@/app/_components/search-results';

export const metadata = searchMetadata;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/*
 * /search rendered per request: for a signed-in reader (the (reader) layout draws them in the
 * header), and for a search the page cache does not hold (nothing to search, or too long a key).
 * proxy.ts sends any other spelling of a search to its canonical address first, and a signed-out
 * reader's canonical search to the cached copy at ../../search/results/[key].
 */
export default async function SearchPage({ searchParams }: Props) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(await searchParams)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) params.set(name, first);
  }
  return <SearchResults params={params} />;
}
