import type { ArticlePage } from '@/db/queries/articles';

/** The article itself: headline, disclosure, body and attribution. Server component. */
export function ArticleView({ article, bodyHtml }: { article: ArticlePage; bodyHtml: string }) {
  return (
    <article className="article" aria-labelledby="article-title">
      <header className="article__header">
        <h1 id="article-title" className="article__title">
          {article.title}
        </h1>
        <p className="article__dek">{article.summary}</p>
        {article.publishedAt ? (
          <p className="article__meta">
            <time dateTime={article.publishedAt.toISOString()}>
              {article.publishedAt.toLocaleDateString('en', { dateStyle: 'long', timeZone: 'UTC' })}
            </time>
          </p>
        ) : null}
        {article.disclosure ? (
          <aside className="disclosure" aria-label="Disclosure">
            <p>{article.disclosure}</p>
          </aside>
        ) : null}
      </header>
      <div className="article__body" dangerouslySetInnerHTML={{ __html: bodyHtml }} />
      {article.sourceLabel ? (
        <footer className="article__footer">
          <p className="attribution">
            Source:{' '}
            {article.sourceUrl ? (
              <a href={article.sourceUrl} rel="noopener noreferrer">
                <cite>{article.sourceLabel}</cite>
              </a>
            ) : (
              <cite>{article.sourceLabel}</cite>
            )}
          </p>
        </footer>
      ) : null}
    </article>
  );
}
