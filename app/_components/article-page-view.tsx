import type { ArticlePage } from '@/db/queries/articles';
import type { UserSummary } from '@/db/queries/users';
import { markdownToText, renderMarkdown } from '@/app/_lib/markdown';
import { newsArticleJsonLd, serializeJsonLd } from '@/app/_lib/structured-data';
import { ArticleView } from './article-view';
import { DiscussionJoin } from './discussion-join';
import { DiscussionQuestions } from './discussion-questions';

/**
 * Everything below the site header on an article page: structured data, the article, its
 * discussion. `viewer` is null in the cached variant and the signed-in reader otherwise.
 */
export function ArticlePageView({ article, viewer }: { article: ArticlePage; viewer: UserSummary | null }) {
  const jsonLd = newsArticleJsonLd(article, markdownToText(article.bodyMarkdown));
  return (
    <div className="page page--article">
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: serializeJsonLd(jsonLd) }} />
      <ArticleView article={article} bodyHtml={renderMarkdown(article.bodyMarkdown, 'article')} />
      <section id="discussion" className="discussion" aria-labelledby="discussion-heading">
        <h2 id="discussion-heading" className="discussion__heading">
          Discussion
        </h2>
        <DiscussionQuestions questions={article.questions} />
        <DiscussionJoin viewer={viewer} slug={article.slug} />
      </section>
    </div>
  );
}
