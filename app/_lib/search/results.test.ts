import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ArticleHit, CommentHit } from '@/db/queries/search';
import { groupByArticle } from './results';

const comment = (id: number, slug: string): CommentHit => ({ id, articleSlug: slug, articleTitle: slug.toUpperCase(), authorName: 'Ada', createdAt: new Date(0), snippet: [] });
const article = (slug: string): ArticleHit => ({ slug, title: slug.toUpperCase(), snippet: [{ text: slug, hit: true }] });

describe('groupByArticle', () => {
  it('gathers the comments of each article under it, in the order they came (newest first)', () => {
    const groups = groupByArticle([], [comment(9, 'b'), comment(8, 'a'), comment(7, 'b')]);
    assert.deepEqual(
      groups.map((g) => [g.slug, g.title, g.article, g.comments.map((c) => c.id)]),
      [
        ['b', 'B', null, [9, 7]],
        ['a', 'A', null, [8]],
      ],
    );
  });

  it('puts articles whose own text matched first, each with its snippet and its comments', () => {
    const groups = groupByArticle([article('a'), article('c')], [comment(9, 'b'), comment(8, 'a')]);
    assert.deepEqual(
      groups.map((g) => [g.slug, g.article !== null, g.comments.map((c) => c.id)]),
      [
        ['a', true, [8]],
        ['c', true, []],
        ['b', false, [9]],
      ],
    );
  });
});
