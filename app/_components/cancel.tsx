'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { KeyboardEvent } from 'react';

/*
 * Leaving a form unchanged: a Cancel link (it works without JavaScript) and, with JavaScript,
 * Escape anywhere in the form. Both forget the text kept in this browser (`forget`), since the
 * reader chose to drop it.
 */

export function CancelLink({ href, forget }: { href: string; forget: () => void }) {
  return (
    <Link className="button button--quiet" href={href} onClick={forget}>
      Cancel
    </Link>
  );
}

/** The form's onKeyDown: Escape does what Cancel does, unless the form is being sent. */
export function useEscapeToCancel(href: string | undefined, forget: () => void, busy: boolean) {
  const router = useRouter();
  return (event: KeyboardEvent<HTMLFormElement>) => {
    if (!href || event.key !== 'Escape' || busy) return;
    event.preventDefault();
    forget();
    router.push(href);
  };
}
