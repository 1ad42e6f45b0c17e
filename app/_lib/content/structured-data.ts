import type { ArticlePage } from '@/db/queries/articles';
import type { Thread, TopAnswer } from '@/db/queries/comments';
import { absoluteUrl, articlePath, commentPath, site } from './site';

/** schema.org NewsArticle for the article page. Only facts the content gives: no invented dates or authors. */
export function newsArticleJsonLd(article: ArticlePage, bodyText: string): Record<string, unknown> {
  const url = absoluteUrl(articlePath(article.slug));
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    '@id': `${url}#article`,
    headline: article.title,
    description: article.summary,
    articleBody: bodyText,
    url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    inLanguage: 'en',
    isAccessibleForFree: true,
    publisher: { '@type': 'Organization', name: site.name, url: site.url },
    ...(article.publishedAt ? { datePublished: article.publishedAt.toISOString() } : {}),
    ...(article.sourceLabel
      ? { isBasedOn: { '@type': 'CreativeWork', name: article.sourceLabel, ...(article.sourceUrl ? { url: article.sourceUrl } : {}) } }
      : {}),
  };
}

/** JSON for a <script type="application/ld+json">: `<` escaped so no text can close the tag. */
export function serializeJsonLd(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

type Discussion = { threads: Thread[]; topAnswers: Map<number, TopAnswer> };

/**
 * The discussion, added to the NewsArticle: schema.org's Comment for each comment on the page
 * (replies nested as `comment`), and the article's own questions as Question items (Question is
 * a kind of Comment) with their answer counts and the most up-voted answer as suggestedAnswer.
 */
export function discussionJsonLd(article: ArticlePage, discussion: Discussion, textOf: (markdown: string) => string) {
  const url = absoluteUrl(articlePath(article.slug));
  const permalink = (id: number) => absoluteUrl(commentPath(article.slug, id));
  const commentLd = (c: Thread | Thread['replies'][number]): Record<string, unknown> => ({
    '@type': 'Comment',
    '@id': permalink(c.id),
    url: permalink(c.id),
    text: textOf(c.markdown),
    dateCreated: c.createdAt.toISOString(),
    ...(c.editedAt ? { dateModified: c.editedAt.toISOString() } : {}),
    author: { '@type': 'Person', name: c.authorName },
    upvoteCount: c.score,
  });
  const comments = discussion.threads
    .filter((t) => t.status === 'visible')
    .map((t) => {
      const replies = t.replies.filter((r) => r.status === 'visible' && r.parentId === t.id).map(commentLd);
      return { ...commentLd(t), ...(replies.length ? { comment: replies } : {}) };
    });
  const questions = article.questions.map((q) => {
    const top = discussion.topAnswers.get(q.id);
    return {
      '@type': 'Question',
      '@id': `${url}#question-${q.key}`,
      name: q.prompt,
      text: q.prompt,
      answerCount: q.answerCount,
      ...(top
        ? {
            suggestedAnswer: {
              '@type': 'Answer',
              url: permalink(top.id),
              text: textOf(top.markdown),
              upvoteCount: top.score,
              author: { '@type': 'Person', name: top.authorName },
            },
          }
        : {}),
    };
  });
  return { commentCount: article.commentCount, comment: [...questions, ...comments] };
}
