import Link from 'next/link';

export function NotFoundMessage() {
  return (
    <div className="page page--not-found">
      <h1>Page not found</h1>
      <p>There is no article at this address. It may have moved, or the link may be mistyped.</p>
      <p>
        <Link href="/">See all articles</Link>
      </p>
    </div>
  );
}
