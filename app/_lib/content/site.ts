/** Site-wide settings, read from the environment with defaults that work on a fresh clone. */
export const site = {
  name: process.env.SITE_NAME || 'The Handset Ledger',
  description: 'Smartphone industry news, and a place for readers to discuss it.',
  /** Absolute origin for canonical URLs and social tags. */
  url: (process.env.SITE_URL || 'http://localhost:3000').replace(/\/+$/, ''),
  locale: 'en_US',
};

export function absoluteUrl(pathname: string): string {
  return new URL(pathname, `${site.url}/`).toString();
}

export function articlePath(slug: string): string {
  return `/articles/${slug}`;
}
