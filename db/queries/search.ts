import 'server-only';
import { eq, sql, type SQL } from 'drizzle-orm';
import { getDb } from '../index';
import { articles, comments, users } from '../schema';
import { shownTo } from './comments';

/*
 * Full-text search over the FTS5 indexes of drizzle/0012_search.sql (comments_fts, articles_fts),
 * which triggers keep in step with every write. The index holds every comment; what a result
 * may be is decided here, by the pages' own rule (shownTo) for a signed-out reader: results
 * are the same for everyone, so the page can be shared by a cache.
 */

/** Comments per page of results. */
export const SEARCH_PAGE_SIZE = 20;
/** Articles whose own text matches, listed on the first page. */
const ARTICLE_HITS = 10;

/** A snippet of text with the matched words marked: drawn as text, so markup in it stays text. */
export type Snippet = { text: string; hit: boolean }[];

export type CommentHit = {
  id: number;
  articleSlug: string;
  articleTitle: string;
  authorName: string;
  createdAt: Date;
  snippet: Snippet;
};

export type ArticleHit = { slug: string; title: string; snippet: Snippet };

/*
 * snippet() wraps each matched word in these two control characters; splitSnippet() turns them
 * into parts, and the page draws the parts as text. Stripped from the text around them first, so
 * a comment holding them cannot mark words itself (comments cannot store them anyway).
 */
const OPEN = '\u0002';
const CLOSE = '\u0003';
const MARKERS = /[\u0002\u0003]/g;

function splitSnippet(marked: string): Snippet {
  const parts: Snippet = [];
  for (const [index, piece] of marked.split(OPEN).entries()) {
    const end = index === 0 ? -1 : piece.indexOf(CLOSE);
    if (end >= 0 && piece.slice(0, end) !== '') parts.push({ text: piece.slice(0, end), hit: true });
    const rest = piece.slice(end + 1).replace(MARKERS, '');
    if (rest !== '') parts.push({ text: rest, hit: false });
  }
  return parts;
}

/**
 * The FTS5 MATCH expression for these words: each one a quoted phrase (a quote inside doubled,
 * FTS5's escape), all required. Nothing of FTS5's query language can come through a word.
 */
export function ftsMatch(words: readonly string[]): string {
  return words.map((word) => `"${word.replaceAll('"', '""')}"`).join(' ');
}

type CommentRow = { id: number; createdAt: number; authorName: string | null; slug: string; title: string; snippet: string };

/**
 * A page of comments matching every word, newest first, after the cursor (a comment id: keyset
 * paging on the index's own rowid order, so a deep page costs what the first does).
 * `nextAfter` is the cursor of the next page, or null on the last.
 */
export function searchComments(
  words: readonly string[],
  { articleId = null, after = null }: { articleId?: number | null; after?: number | null },
): { hits: CommentHit[]; nextAfter: number | null } {
  const where: SQL[] = [
    sql`comments_fts match ${ftsMatch(words)}`,
    // A deleted comment is shown as a placeholder with no text: not a result.
    shownTo(null),
    sql`${comments.status} <> 'deleted'`,
  ];
  if (articleId !== null) where.push(sql`${comments.articleId} = ${articleId}`);
  if (after !== null) where.push(sql`comments_fts.rowid < ${after}`);
  const rows = getDb().all<CommentRow>(sql`
    select ${comments.id} as id, ${comments.createdAt} as createdAt, ${users.name} as authorName,
      ${articles.slug} as slug, ${articles.title} as title,
      snippet(comments_fts, 0, ${OPEN}, ${CLOSE}, '…', 20) as snippet
    from comments_fts
      join ${comments} on ${comments.id} = comments_fts.rowid
      join ${users} on ${users.id} = ${comments.authorId}
      join ${articles} on ${articles.id} = ${comments.articleId}
    where ${sql.join(where, sql` and `)}
    order by comments_fts.rowid desc
    limit ${SEARCH_PAGE_SIZE + 1}`);
  const page = rows.slice(0, SEARCH_PAGE_SIZE);
  return {
    hits: page.map((row) => ({
      id: row.id,
      articleSlug: row.slug,
      articleTitle: row.title,
      authorName: row.authorName?.trim() || 'Reader',
      createdAt: new Date(row.createdAt),
      snippet: splitSnippet(row.snippet),
    })),
    nextAfter: rows.length > SEARCH_PAGE_SIZE ? page.at(-1)!.id : null,
  };
}

/** Articles whose title, summary or text holds every word, best match first (articles are few). */
export function searchArticles(words: readonly string[], { articleId = null }: { articleId?: number | null }): ArticleHit[] {
  const rows = getDb().all<{ slug: string; title: string; snippet: string }>(sql`
    select ${articles.slug} as slug, ${articles.title} as title,
      snippet(articles_fts, -1, ${OPEN}, ${CLOSE}, '…', 24) as snippet
    from articles_fts join ${articles} on ${articles.id} = articles_fts.rowid
    where articles_fts match ${ftsMatch(words)} ${articleId === null ? sql`` : sql`and ${articles.id} = ${articleId}`}
    order by bm25(articles_fts)
    limit ${ARTICLE_HITS}`);
  return rows.map((row) => ({ slug: row.slug, title: row.title, snippet: splitSnippet(row.snippet) }));
}

/** The article "search this discussion" names, or null when there is none at that address. */
export function findSearchScope(slug: string): { id: number; slug: string; title: string } | null {
  return getDb().select({ id: articles.id, slug: articles.slug, title: articles.title }).from(articles).where(eq(articles.slug, slug)).get() ?? null;
}
