import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import { site } from './_lib/content/site';
import { pageAlternates } from './_lib/feeds/links';
import './globals.css';

export const metadata: Metadata = {
  metadataBase: new URL(site.url),
  title: { default: site.name, template: `%s · ${site.name}` },
  description: site.description,
  applicationName: site.name,
  // The site feed, for feed readers to find from any page (pages with a canonical URL add it to theirs).
  alternates: pageAlternates(),
  openGraph: { siteName: site.name, locale: site.locale, type: 'website' },
  // Static files in public/: the icon, and a 32 px favicon.ico for browsers that ask for it
  // on their own. The ICO's size is stated, so browsers that take SVG prefer the icon.
  icons: {
    icon: [
      { url: '/favicon.ico', sizes: '32x32' },
      { url: '/icon.svg', type: 'image/svg+xml' },
    ],
  },
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  colorScheme: 'light dark',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#fbfaf7' },
    { media: '(prefers-color-scheme: dark)', color: '#16181c' },
  ],
};

/*
 * The root layout reads nothing per reader, so cached pages stay cacheable. The header, which
 * shows who is signed in, is drawn below it: by the (reader) layout from the session, and by
 * the article page for its viewer (none on the cached page).
 */
export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        {children}
        <footer className="site-footer">
          <p>
            {site.name} · <Link href="/">All articles</Link> · <Link href="/privacy">Privacy</Link>
          </p>
        </footer>
      </body>
    </html>
  );
}
