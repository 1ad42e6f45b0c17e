import type { Metadata } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import { listArticles } from '@/db/queries/articles';
import { articlePath, site } from '@/app/_lib/content/site';
import { countOf } from '@/app/_lib/format';
import { pageAlternates } from '@/app/_lib/feeds/links';

export const metadata: Metadata = {
  title: { absolute: site.name },
  alternates: pageAlternates('/'),
};

export default async function HomePage() {
  // Rendered per request so the build never opens the database; the article pages carry the traffic.
  await connection();
  const articles = listArticles();
  return (
    <div className="page page--index">
      <h1 className="index-title">Latest articles</h1>
      {articles.length === 0 ? (
        <p>No articles yet.</p>
      ) : (
        <ul className="article-list">
          {articles.map((article) => (
            <li key={article.slug} className="article-card">
              <h2 className="article-card__title">
                <Link href={articlePath(article.slug)}>{article.title}</Link>
              </h2>
              <p className="article-card__summary">{article.summary}</p>
              <p className="article-card__meta">
                <Link href={`${articlePath(article.slug)}#discussion`}>
                  {countOf(article.commentCount, 'comment')}
                </Link>
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
