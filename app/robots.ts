import type { MetadataRoute } from 'next';
import { headers } from 'next/headers';
import { publicOrigin } from '@/app/_lib/content/site';

/*
 * /robots.txt. Crawl everything readers can see; keep crawlers out of the JSON API, Auth.js and
 * the per-reader pages (which also say noindex). The sign-in pages stay crawlable on purpose:
 * they are indexable, and a Disallow would hide their canonical link from crawlers.
 * Written per request rather than kept in public/, because the Sitemap line must be an absolute
 * URL on the site's origin (SITE_URL, or the origin the crawler asked: app/_lib/content/site.ts).
 */
export default async function robots(): Promise<MetadataRoute.Robots> {
  const origin = publicOrigin(await headers());
  return {
    rules: { userAgent: '*', allow: '/', disallow: ['/api/', '/profile', '/moderation'] },
    sitemap: `${origin}/sitemap.xml`,
  };
}
