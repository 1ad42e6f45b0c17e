import { cookies } from 'next/headers';
import { getCurrentUser } from '@/app/_lib/auth/session';
import { loadArticle } from '@/app/_lib/content/article';
import { DRAFT_COOKIE } from '@/app/_lib/comments/draft';
import { readerLayer } from '@/app/_lib/comments/reader-layer';
import { composeReaderPage } from '@/app/_lib/comments/reader-page';
import { isDefaultView, parseView, viewSegment } from '@/app/_lib/comments/view';
import { freshPage } from '@/app/_lib/http/shared-pages.mjs';
import { fromSelf, storeShared } from '@/app/_lib/http/self-request';
import { READER_PAGE_COOKIE } from '@/app/_lib/http/session-cookie.mjs';

/*
 * A signed-in reader loading an article page (proxy.ts sends a plain GET with a session cookie
 * here; the address bar keeps /articles/[slug]). The page cached for everyone, with this
 * reader's layer written in (app/_lib/comments/reader-page.ts): the same HTML a render for them
 * gives, at the cost of a few queries instead of a render. When the cached page cannot serve
 * (not cached yet, older than a change, older than the reader's own last write, or the reader
 * has a comment held for review, which only they see), the page is rendered for them at
 * ../signed-in, as before.
 */

export async function GET(request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const url = new URL(request.url);
  const query = url.search;
  const renderForReader = async () => {
    const cookie = request.headers.get('cookie');
    const answer = await fromSelf(`/articles/${encodeURIComponent(slug)}/signed-in${query}`, cookie ? { cookie } : {});
    answer.headers.append('set-cookie', `${READER_PAGE_COOKIE}=rendered; Path=/; HttpOnly; SameSite=Lax`);
    return answer;
  };

  const article = loadArticle(slug);
  if (!article || (await cookies()).has(DRAFT_COOKIE)) return renderForReader();
  // A cookie that does not verify (forged, expired) gets the cached page as everyone does: it
  // must not buy a render per request.
  const viewer = await getCurrentUser();
  const layer = readerLayer(viewer, article);
  if (layer.heldIds.length > 0) return renderForReader();

  const view = parseView(url.searchParams);
  const shared = `/articles/${article.slug}`;
  const key = isDefaultView(view) ? shared : `${shared}/view/${viewSegment(view)}`;
  let page = freshPage(key, viewer?.id ?? '');
  if (!page) {
    page = (await storeShared(`${shared}${query}`)) ? freshPage(key, viewer?.id ?? '') : null;
  }
  if (!page) return renderForReader();
  const parts = composeReaderPage(page, layer, article);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': page.policy,
      'cache-control': 'private, no-store',
      'set-cookie': `${READER_PAGE_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`,
    },
  });
}
