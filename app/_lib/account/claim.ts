import 'server-only';
import { claimableComments, claimGuestComments, type Claimable } from '@/db/queries/guest-authors';
import type { UserSummary } from '@/db/queries/users';
import { articleCache } from '../comments/article-cache';
import { countOf } from '../format';
import { refuse, type Result } from '../http/errors';
import { check } from '../permissions';

/*
 * Comments imported from another system under this reader's email address (db/schema.ts
 * guestAuthors), which the profile offers them to claim. Only a confirmed address claims: an
 * address typed at sign-up proves nothing until its link is opened.
 */

/** What the profile offers: null when there is nothing, or the address is not confirmed. */
export function claimOffer(viewer: UserSummary): Claimable | null {
  if (!viewer.emailVerified) return null;
  const offer = claimableComments(viewer.id);
  return offer.comments > 0 ? offer : null;
}

/** The claim itself: the profile's form, through claimImportedAction, says how many moved. */
export function claimImportedComments(viewer: UserSummary | null): Result<{ moved: number; message: string }> {
  const refused = check(viewer, 'editProfile');
  if (refused || !viewer) return refused ?? refuse('unauthorized:session');
  if (!viewer.emailVerified) {
    return refuse('invalid:form', undefined, 'Confirm your email address first: imported comments are matched to a confirmed address.');
  }
  const { moved } = claimGuestComments(viewer.id);
  if (moved === 0) return { ok: true, value: { moved, message: 'There are no imported comments under your address.' } };
  // The names beside those comments change on every page that shows them.
  articleCache.revalidateAll(viewer.id);
  return { ok: true, value: { moved, message: `${countOf(moved, 'imported comment')} now ${moved === 1 ? 'shows' : 'show'} your name.` } };
}
