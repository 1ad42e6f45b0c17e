import { getCurrentUser } from '@/app/_lib/auth/session';
import { ACCOUNT_NAV_OPEN, accountNavHtml } from '@/app/_lib/content/reader-html';
import { freshPage } from '@/app/_lib/http/shared-pages.mjs';
import { fromSelf, storeShared } from '@/app/_lib/http/self-request';
import { RENDER_FOR_READER_HEADER } from '@/app/_lib/http/session-cookie.mjs';
import { searchCacheKey } from '@/app/_lib/search/query';

/*
 * A signed-in reader loading a search (proxy.ts sends a page load of a canonical /search?q=…
 * with a session cookie here; the address bar keeps /search?q=…). A search's results
 * are the same for every reader (only what everyone may see is searched), so the reader gets the
 * page stored for signed-out readers (../results/[key]) with their name written into the
 * header, as the article pages do (app/articles/[slug]/reader): the cost of a string splice, not
 * a render. When the stored page cannot serve (older than a change or than the reader's own last
 * write, and not stored again), /search is rendered for them per request, as before.
 */

export async function GET(request: Request) {
  // The search as the reader asked for it (a rewrite keeps the address's query).
  const { search } = new URL(request.url);
  const key = searchCacheKey(search);
  const cookie = request.headers.get('cookie');
  const renderForReader = () => fromSelf(`/search${search}`, { ...(cookie ? { cookie } : {}), [RENDER_FOR_READER_HEADER]: '1' });
  if (key === null) return renderForReader();

  // A cookie that does not verify (forged, expired) gets the stored page unchanged: signed out.
  const viewer = await getCurrentUser();
  const shared = `/search/results/${key}`;
  let page = freshPage(shared, viewer?.id ?? '');
  if (!page) page = (await storeShared(shared)) ? freshPage(shared, viewer?.id ?? '') : null;
  if (!page) return renderForReader();

  // The header's account part is HTML React keeps as it finds it when the page hydrates
  // (app/_components/site-header.tsx), so writing the reader's in is all a render would change.
  const at = page.html.indexOf(ACCOUNT_NAV_OPEN);
  const end = at < 0 ? -1 : page.html.indexOf('</nav>', at);
  if (end < 0) return renderForReader();
  const html = page.html.slice(0, at + ACCOUNT_NAV_OPEN.length) + accountNavHtml(viewer) + page.html.slice(end);
  return new Response(html, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': page.policy,
      'cache-control': 'private, no-store',
    },
  });
}
