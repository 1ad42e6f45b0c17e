import Link from 'next/link';
import type { UserSummary } from '@/db/queries/users';
import { SignOutForm } from '@/app/_components/redirect-form';
import { site } from '@/app/_lib/content/site';
import { can } from '@/app/_lib/permissions';

/** The masthead. Signed out: a sign-in link. Signed in: the reader's name and a sign-out button. */
export function SiteHeader({ user }: { user: UserSummary | null }) {
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link href="/" className="site-name">
          {site.name}
        </Link>
        <nav aria-label="Account" className="account-nav">
          {user ? (
            <>
              {can(user, 'readQueue') ? <Link href="/moderation">Moderation</Link> : null}
              <span className="account-nav__who">
                Signed in as{' '}
                <Link href="/profile" className="account-nav__name">
                  {user.name}
                </Link>
              </span>
              <SignOutForm />
            </>
          ) : (
            <Link href="/signin" className="button button--quiet">
              Sign in
            </Link>
          )}
        </nav>
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
