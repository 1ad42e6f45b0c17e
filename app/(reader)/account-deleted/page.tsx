import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Your account was deleted', robots: { index: false } };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Where "Delete my account" lands: what was done, in the reader's own choice's words. */
export default async function AccountDeletedPage({ searchParams }: Props) {
  const kept = (await searchParams).comments === 'kept';
  return (
    <div className="page page--narrow">
      <h1>Your account was deleted</h1>
      <p className="notice" role="status">
        Your account and everything tied to it are gone, and you are signed out everywhere.{' '}
        {kept ? 'Your comments stay, shown as written by “A former reader”.' : 'The text of your comments was removed.'}
      </p>
      <p>
        You are welcome back at any time: <Link href="/signup">create a new account</Link>, with the same address if you like.
      </p>
      <p>
        <Link href="/">Go to the home page</Link>
      </p>
    </div>
  );
}
