import type { MetadataRoute } from 'next';
import { headers } from 'next/headers';
import { listArticleChanges } from '@/db/queries/articles';
import { articlePath, publicOrigin } from '@/app/_lib/content/site';

/*
 * /sitemap.xml: the home page and every article, each with when it last changed (what "changed"
 * means: listArticleChanges in db/queries/articles.ts). No publication date is given or made up.
 * Rendered per request, like the home page (one indexed query): the build never opens the database, and the URLs
 * are on the origin the crawler asked (SITE_URL when set, app/_lib/content/site.ts), so every
 * one of them answers on any host and port.
 */
export default async function sitemap(): Promise<MetadataRoute.Sitemap> {
  const origin = publicOrigin(await headers());
  const articles = listArticleChanges();
  // The home page lists every article with its comment count: it changes when any of them does.
  const newest = articles.reduce<Date | undefined>((latest, { lastModified }) => (latest && latest >= lastModified ? latest : lastModified), undefined);
  return [
    { url: `${origin}/`, lastModified: newest },
    ...articles.map(({ slug, lastModified }) => ({ url: `${origin}${articlePath(slug)}`, lastModified })),
  ];
}
