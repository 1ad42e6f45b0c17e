import type { ArticlePage as ArticleData } from '@/db/queries/articles';
import { readerState, type ReaderLayer } from '@/app/_lib/comments/reader-layer';
import { ArticleView } from '@/app/_components/article-view';
import { PageShell } from '@/app/_components/site-header';
import type { DiscussionData } from '@/app/_lib/comments/discussion';
import { markdownToText, renderMarkdown } from '@/app/_lib/content/markdown';
import { discussionJsonLd, newsArticleJsonLd, serializeJsonLd } from '@/app/_lib/content/structured-data';
import { Discussion } from './discussion';
import { ReaderProvider } from './reader-store';

/**
 * The whole article page, drawn the same way for everyone (cached) and, with a reader's layer,
 * for one reader (app/_lib/comments/reader-layer.ts). Pass the signed-out layer for the cached one.
 */
export function ArticlePage({
  article,
  discussion,
  layer,
  draft = null,
}: {
  /** With readAt, when the route began reading the database (app/_lib/http/shared-pages.mjs). */
  article: ArticleData & { readAt?: number };
  discussion: DiscussionData;
  layer: ReaderLayer;
  draft?: string | null;
}) {
  const jsonLd = {
    ...newsArticleJsonLd(article, markdownToText(article.bodyMarkdown)),
    ...discussionJsonLd(article, discussion, markdownToText),
  };
  return (
    <PageShell user={layer.viewer}>
      <div className="page page--article" data-read-at={article.readAt}>
        <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: serializeJsonLd(jsonLd) }} />
        <ArticleView article={article} bodyHtml={renderMarkdown(article.bodyMarkdown, 'article')} />
        <ReaderProvider state={readerState(layer)}>
          <Discussion article={article} data={discussion} layer={layer} draft={draft} />
        </ReaderProvider>
      </div>
    </PageShell>
  );
}
