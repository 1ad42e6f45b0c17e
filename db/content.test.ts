import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseArticleFile, readArticleFiles } from './content';

const file = (frontMatter: string, body = 'Body text.') => `---\n${frontMatter}\n---\n${body}\n`;

describe('article content files', () => {
  it('reads the Xiaomi article with its title once and its three questions in order', () => {
    const [article] = readArticleFiles();
    assert.ok(article);
    assert.equal(article.title, 'Xiaomi Ships 23.16 Million Smartphones in Q2 2017, Its Highest Ever Quarterly Shipments');
    assert.equal(article.bodyMarkdown.includes(article.title), false, 'the scraped title repeat is not body text');
    assert.equal(article.bodyMarkdown.includes('We may earn a commission'), false, 'the disclosure is not body text');
    assert.equal(article.disclosure, 'We may earn a commission for purchases made using our links.');
    assert.equal(article.source?.label, 'Press Release');
    assert.deepEqual(
      article.questions.map((q) => [q.key, q.kind, q.prompt]),
      [
        ['growth', 'open', 'What are your thoughts on Xiaomi’s recent growth and success?'],
        ['targets', 'poll', 'Will the company achieve its current targets?'],
        ['next-focus', 'open', 'What areas should the company next focus on?'],
      ],
    );
    assert.deepEqual(article.questions[1]?.choices?.map((c) => c.label), ['Yes', 'No', 'Too early to tell']);
  });

  it('refuses a file without front matter, naming the file', () => {
    assert.throws(() => parseArticleFile('Just a body', 'plain.md'), /plain\.md: expected front matter/);
  });

  it('refuses a poll question without choices', () => {
    const text = file('slug: a\ntitle: A\nsummary: S\nquestions:\n  - key: q\n    kind: poll\n    prompt: Yes or no?');
    assert.throws(() => parseArticleFile(text, 'poll.md'), /poll\.md: invalid front matter/);
  });

  it('refuses repeated question keys and slugs that are not URL-safe', () => {
    const repeated = file('slug: a\ntitle: A\nsummary: S\nquestions:\n  - key: q\n    prompt: One?\n  - key: q\n    prompt: Two?');
    assert.throws(() => parseArticleFile(repeated, 'r.md'), /question keys repeat/);
    assert.throws(() => parseArticleFile(file('slug: Not A Slug\ntitle: A\nsummary: S'), 's.md'), /invalid front matter/);
  });

  it('hashes the file so an unchanged file can be skipped', () => {
    const text = file('slug: a\ntitle: A\nsummary: S');
    assert.equal(parseArticleFile(text).contentHash, parseArticleFile(text).contentHash);
    assert.notEqual(parseArticleFile(text).contentHash, parseArticleFile(text + 'more').contentHash);
  });
});
