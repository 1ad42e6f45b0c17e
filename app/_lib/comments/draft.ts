import 'server-only';
import { cookies } from 'next/headers';
import { readDraft } from '@/db/queries/comment-writes';

import { DRAFT_COOKIE } from '../http/session-cookie.mjs';

export { DRAFT_COOKIE };

/** The reader's saved draft for this article, if they typed one before signing in. */
export async function draftFor(articleId: number): Promise<string | null> {
  const token = (await cookies()).get(DRAFT_COOKIE)?.value;
  return token ? readDraft(token, articleId) : null;
}
