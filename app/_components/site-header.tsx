import Link from 'next/link';
import type { UserSummary } from '@/db/queries/users';
import { site } from '@/app/_lib/content/site';
import { accountNavHtml } from '@/app/_lib/content/reader-html';
import { SearchForm } from './search-form';

/**
 * The masthead: the site's search box, and the account part. Signed out: a sign-in link. Signed
 * in: the reader's name and a sign-out button.
 */
export function SiteHeader({ user }: { user: UserSummary | null }) {
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link href="/" className="site-name">
          {site.name}
        </Link>
        <SearchForm name="Site search" label="Search" id="site-search" placeholder="Articles and comments" className="site-search" />
        {/* The reader's part, as HTML that hydration keeps: a cached page is made one reader's by
            replacing it (app/_lib/comments/reader-page.ts). */}
        <nav aria-label="Account" className="account-nav" dangerouslySetInnerHTML={{ __html: accountNavHtml(user) }} />
      </div>
    </header>
  );
}

export function PageShell({ user, children }: { user: UserSummary | null; children: React.ReactNode }) {
  return (
    <>
      <SiteHeader user={user} />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
