import type { ArticlePage as ArticleData } from '@/db/queries/articles';
import type { UserSummary } from '@/db/queries/users';
import { ArticleView } from '@/app/_components/article-view';
import { PageShell } from '@/app/_components/site-header';
import type { DiscussionData } from '@/app/_lib/comments/discussion';
import { markdownToText, renderMarkdown } from '@/app/_lib/content/markdown';
import { discussionJsonLd, newsArticleJsonLd, serializeJsonLd } from '@/app/_lib/content/structured-data';
import { Discussion } from './discussion';

/**
 * The whole article page, drawn the same way for the cached signed-out variant (viewer null)
 * and the per-request signed-in one.
 */
export function ArticlePage({
  article,
  discussion,
  viewer,
  draft = null,
}: {
  article: ArticleData;
  discussion: DiscussionData;
  viewer: UserSummary | null;
  draft?: string | null;
}) {
  const jsonLd = {
    ...newsArticleJsonLd(article, markdownToText(article.bodyMarkdown)),
    ...discussionJsonLd(article, discussion, markdownToText),
  };
  return (
    <PageShell user={viewer}>
      <div className="page page--article">
        <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: serializeJsonLd(jsonLd) }} />
        <ArticleView article={article} bodyHtml={renderMarkdown(article.bodyMarkdown, 'article')} />
        <Discussion article={article} data={discussion} viewer={viewer} draft={draft} />
      </div>
    </PageShell>
  );
}
