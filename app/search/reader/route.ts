import { getCurrentUser } from '@/app/_lib/auth/session';
import { accountNavHtml } from '@/app/_lib/content/reader-html';
import { freshPage } from '@/app/_lib/http/shared-pages.mjs';
import { fromSelf, storeShared } from '@/app/_lib/http/self-request';
import { RENDER_FOR_READER_HEADER } from '@/app/_lib/http/session-cookie.mjs';
import { searchCacheKey, searchOfCacheKey } from '@/app/_lib/search/query';

/*
 * A signed-in reader loading a search (proxy.ts sends a page load of a canonical /search?q=…
 * with a session cookie here; the address bar keeps /search?q=…). A search's results
 * are the same for every reader (only what everyone may see is searched), so the reader gets the
 * page stored for signed-out readers (../results/[key]) with their name written into the
 * header, as the article pages do (app/articles/[slug]/reader): the cost of a string splice, not
 * a render. When the stored page cannot serve (older than a change or than the reader's own last
 * write, and not stored again), /search is rendered for them per request, as before.
 */

const NAV_OPEN = '<nav aria-label="Account" class="account-nav">';

export async function GET(request: Request) {
  // The search as the reader asked for it (a rewrite keeps the address's query).
  const key = searchCacheKey(new URL(request.url).search);
  const search = key === null ? null : searchOfCacheKey(key);
  const cookie = request.headers.get('cookie');
  const renderForReader = () => fromSelf(`/search${search ? `?${search}` : ''}`, { ...(cookie ? { cookie } : {}), [RENDER_FOR_READER_HEADER]: '1' });

  // A cookie that does not verify (forged, expired) gets the stored page unchanged: signed out.
  const viewer = await getCurrentUser();
  if (!search) return renderForReader();
  const shared = `/search/results/${key}`;
  let page = freshPage(shared, viewer?.id ?? '');
  if (!page) page = (await storeShared(shared)) ? freshPage(shared, viewer?.id ?? '') : null;
  if (!page) return renderForReader();

  // The header's account part is HTML React keeps as it finds it when the page hydrates
  // (app/_components/site-header.tsx), so writing the reader's in is all a render would change.
  const at = page.html.indexOf(NAV_OPEN);
  const end = at < 0 ? -1 : page.html.indexOf('</nav>', at);
  if (end < 0) return renderForReader();
  const html = page.html.slice(0, at + NAV_OPEN.length) + accountNavHtml(viewer) + page.html.slice(end);
  return new Response(html, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': page.policy,
      'cache-control': 'private, no-store',
    },
  });
}
