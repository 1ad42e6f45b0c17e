import type { MetadataRoute } from 'next';

/**
 * /robots.txt: crawl everything readers can see; keep crawlers out of the JSON API, Auth.js and
 * the per-reader pages (which also say noindex). The sign-in pages stay crawlable on purpose:
 * they are indexable, and a Disallow would hide their canonical link from crawlers.
 */
export default function robots(): MetadataRoute.Robots {
  return {
    rules: { userAgent: '*', allow: '/', disallow: ['/api/', '/profile', '/moderation'] },
  };
}
