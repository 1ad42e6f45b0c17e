'use client';

import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { commentActionHref } from '@/app/_lib/comments/view';
import { UNDO_SHOWN_MS } from '@/app/_lib/limits';
import { DeleteForm, UndoDelete } from './comment-controls';

type Open = { commentId: number; comment: HTMLElement; link: HTMLElement; host: HTMLElement; next: HTMLElement | null };

/** How long "Your comment was deleted." stays once its Undo has gone. */
const NOTICE_AFTER_UNDO_MS = 5_000;

/**
 * "Delete" asked in place. Each comment's Delete is a plain link to its delete page (the page is
 * the same HTML for every reader, and works without JavaScript); with JavaScript this one
 * listener, for the whole discussion, opens the confirmation inside the comment instead. Cancel
 * or Escape closes it and gives focus back to the link. Once deleted, focus moves on to the next
 * comment, and "Your comment was deleted. Undo" shows at the foot of the screen: not in the
 * comment's place, which the refreshed discussion takes back (a comment without replies goes).
 */
export function InlineDelete({ articleSlug, view }: { articleSlug: string; view: string }) {
  const [open, setOpen] = useState<Open | null>(null);
  const [deleted, setDeleted] = useState<number | null>(null);
  const current = useRef<Open | null>(null);
  const notice = useRef<HTMLDivElement>(null);
  const hideNotice = useRef<ReturnType<typeof setTimeout>>(undefined);

  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = event.target instanceof Element ? event.target.closest<HTMLElement>('a.c-delete') : null;
      const comment = link?.closest<HTMLElement>('article.comment');
      const commentId = Number(/-(\d+)$/.exec(comment?.id ?? '')?.[1]);
      if (!link || !comment || !commentId) return;
      event.preventDefault();
      if (current.current?.commentId === commentId) return;
      current.current?.host.remove();
      const host = document.createElement('div');
      host.className = 'inline-delete';
      comment.append(host);
      // The next comment in reading order (a reply, or the next thread), found while the page still has this one.
      const next =
        [...document.querySelectorAll<HTMLElement>('#discussion-comments article.comment')].find(
          (other) => comment.compareDocumentPosition(other) & Node.DOCUMENT_POSITION_FOLLOWING,
        ) ?? null;
      current.current = { commentId, comment, link, host, next };
      setOpen(current.current);
    };
    document.addEventListener('click', onClick);
    return () => {
      document.removeEventListener('click', onClick);
      clearTimeout(hideNotice.current);
    };
  }, []);

  const close = (then: 'back' | 'deleted') => {
    if (!open) return;
    open.host.remove();
    current.current = null;
    setOpen(null);
    if (then === 'back') {
      open.link.focus();
      return;
    }
    open.comment.classList.add('comment--gone');
    setDeleted(open.commentId);
    clearTimeout(hideNotice.current);
    hideNotice.current = setTimeout(() => setDeleted(null), UNDO_SHOWN_MS + NOTICE_AFTER_UNDO_MS);
    const focus = open.next?.isConnected ? open.next : notice.current;
    if (focus) {
      focus.setAttribute('tabindex', '-1');
      focus.focus({ preventScroll: true });
      focus.scrollIntoView({ block: 'nearest' });
    }
  };

  return (
    <>
      {open
        ? createPortal(
            <DeleteForm
              key={open.commentId}
              articleSlug={articleSlug}
              commentId={open.commentId}
              view={view}
              permalink={commentActionHref(articleSlug, open.commentId, 'delete')}
              then="here"
              inline={{ onCancel: () => close('back'), onDeleted: () => close('deleted') }}
            />,
            open.host,
          )
        : null}
      <div ref={notice} className="undo-notice" hidden={deleted === null}>
        {deleted !== null ? (
          <UndoDelete key={deleted} articleSlug={articleSlug} commentId={deleted} canUndo permalink={commentActionHref(articleSlug, deleted, 'delete')} />
        ) : null}
      </div>
    </>
  );
}
