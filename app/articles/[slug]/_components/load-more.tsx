'use client';

import { ErrorText } from '@/app/_components/form-controls';
import { useEffect, useRef, useState, useTransition, type ReactNode } from 'react';
import { loadMoreThreads } from './next-threads';

/**
 * "Load more comments". Without JavaScript it is a link to the next page (?after=cursor).
 * With it, the next page is rendered on the server and added below, in place, and focus goes
 * to its first comment (the button it was on may be gone, and the reader reads on from there).
 */
export function LoadMore({ articleSlug, query, nextHref, cursor }: { articleSlug: string; query: string; nextHref: string; cursor: string }) {
  const [pages, setPages] = useState<ReactNode[]>([]);
  const [next, setNext] = useState<{ cursor: string; href: string } | null>({ cursor, href: nextHref });
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const lists = useRef<(HTMLOListElement | null)[]>([]);
  useEffect(() => {
    const first = lists.current[pages.length - 1]?.querySelector<HTMLElement>('article');
    if (!first) return;
    first.setAttribute('tabindex', '-1');
    first.focus();
  }, [pages.length]);

  function loadMore(event: React.MouseEvent<HTMLAnchorElement>) {
    if (!next || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    const params = new URLSearchParams(query);
    params.set('after', next.cursor);
    startTransition(async () => {
      try {
        const result = await loadMoreThreads(articleSlug, params.toString());
        if (!result) throw new Error('not found');
        setPages((current) => [...current, result.content]);
        if (result.nextCursor) {
          params.set('after', result.nextCursor);
          setNext({ cursor: result.nextCursor, href: `?${params.toString()}#discussion-comments` });
        } else {
          setNext(null);
        }
        setError(null);
      } catch {
        setError('Could not load more comments. Check your connection and try again.');
      }
    });
  }

  return (
    <>
      {pages.map((page, index) => (
        <ol
          key={index}
          ref={(list) => {
            lists.current[index] = list;
          }}
          className="threads threads--more"
          aria-label={`More comments, page ${index + 2}`}
        >
          {page}
        </ol>
      ))}
      {next ? (
        <p className="load-more">
          <a className="button" href={next.href} onClick={loadMore} aria-busy={pending}>
            {pending ? 'Loading…' : 'Load more comments'}
          </a>
        </p>
      ) : null}
      <ErrorText message={error} />
    </>
  );
}
