import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SEARCH_QUERY_MAX } from '../limits';
import { parseSearchQuery, readSearchParams, searchHref, searchCacheKey, searchOfCacheKey, searchRoute } from './query';

const redirectOf = (search: string) => searchRoute(search).redirect;

const words = (q: string | null) => {
  const parsed = parseSearchQuery(q);
  return parsed.status === 'ok' ? parsed.words : parsed.status;
};

describe('parseSearchQuery', () => {
  it('reads plain words, lower-cased, in order, one space apart', () => {
    assert.deepEqual(words('  Xiaomi   Redmi\tNote '), ['xiaomi', 'redmi', 'note']);
    const parsed = parseSearchQuery('Xiaomi  Redmi');
    assert.equal(parsed.status === 'ok' && parsed.normalized, 'xiaomi redmi');
  });

  it('turns FTS5 syntax into plain words: quotes, NEAR, *, AND/OR/NOT, parentheses, column filters, ^, +', () => {
    assert.deepEqual(words('"record quarter'), ['record', 'quarter']);
    assert.deepEqual(words('NEAR(xiaomi redmi, 5)'), ['near', 'xiaomi', 'redmi', '5']);
    assert.deepEqual(words('phone* OR (tablet AND NOT laptop)'), ['phone', 'or', 'tablet', 'and', 'not', 'laptop']);
    assert.deepEqual(words('body_markdown:secret ^start +plus -minus {a b}: c'), ['body', 'markdown', 'secret', 'start', 'plus', 'minus', 'a', 'b', 'c']);
  });

  it('keeps letters and digits of every script, and splits on everything else', () => {
    assert.deepEqual(words('Café Ünïcode 小米 2017'), ['café', 'ünïcode', '小米', '2017']);
    assert.deepEqual(words("don't\u0000stop\uFFFDnow"), ['don', 't', 'stop', 'now']);
    // Full-width letters are the same word as their plain form.
    assert.deepEqual(words('ＸＩＡＯＭＩ'), ['xiaomi']);
  });

  it('says what is wrong with an empty query, one without a word, and an over-long one', () => {
    assert.equal(words(null), 'missing');
    assert.equal(words(''), 'empty');
    assert.equal(words('   '), 'empty');
    assert.equal(words('"* () ^:'), 'empty');
    assert.deepEqual(words('a'.repeat(SEARCH_QUERY_MAX)), ['a'.repeat(SEARCH_QUERY_MAX)]);
    assert.equal(words('a'.repeat(SEARCH_QUERY_MAX + 1)), 'too_long');
    assert.equal(words('x '.repeat(5000)), 'too_long');
  });

  it('measures the length in characters, not UTF-16 units', () => {
    assert.equal(parseSearchQuery('𠀀'.repeat(SEARCH_QUERY_MAX)).status, 'ok');
  });
});

describe('readSearchParams', () => {
  it('reads the query, an article slug and a cursor, and leaves out what is malformed', () => {
    const read = readSearchParams(new URLSearchParams('q=Xiaomi&article=xiaomi-q2&after=41&utm=x'));
    assert.deepEqual({ ...read, query: read.query.status }, { query: 'ok', article: 'xiaomi-q2', after: 41 });
    const bad = readSearchParams(new URLSearchParams('q=a&article=../etc&after=-3'));
    assert.deepEqual({ article: bad.article, after: bad.after }, { article: null, after: null });
    assert.equal(readSearchParams(new URLSearchParams('after=1e3&q=a')).after, null);
  });

  it('names the normalized address when the request is not already at it, and null when it is', () => {
    assert.equal(redirectOf('?q=%22Xiaomi%22+NEAR'), '/search?q=xiaomi+near');
    assert.equal(redirectOf('?after=5&q=xiaomi&utm=1'), '/search?q=xiaomi&after=5');
    // The same words written another way are another cache key: sent to the one form.
    assert.equal(redirectOf('?q=xiaomi%20redmi'), '/search?q=xiaomi+redmi');
    assert.equal(redirectOf('?q=xiaomi&after=5'), null);
    assert.equal(redirectOf('?q=xiaomi+redmi'), null);
    // Nothing to normalize to: the page answers with its message where it was asked.
    assert.equal(redirectOf('?q=' + 'a'.repeat(SEARCH_QUERY_MAX + 1)), null);
    assert.equal(redirectOf('?q=%22%22'), null);
    assert.equal(redirectOf('?q=%FF%C3%28'), null);
  });
});

describe('searchHref', () => {
  it('writes the normalized address, parameters in one order, so equal searches share one cache entry', () => {
    assert.equal(searchHref({ q: 'xiaomi redmi' }), '/search?q=xiaomi+redmi');
    assert.equal(searchHref({ q: 'a', article: 'news', after: 12 }), '/search?q=a&article=news&after=12');
  });
});

describe('searchCacheKey and searchOfCacheKey', () => {
  it('give a canonical search one file-name-safe key, and read the same search back from it', () => {
    const key = searchCacheKey('?q=redmi+note&article=xiaomi-q2&after=12');
    assert.ok(key);
    assert.match(key, /^[A-Za-z0-9_-]+$/);
    assert.equal(searchOfCacheKey(key)?.toString(), 'q=redmi+note&article=xiaomi-q2&after=12');
    assert.equal(searchCacheKey('q=redmi+note&article=xiaomi-q2&after=12'), key, 'with or without "?"');
  });

  it('give no key to a search that is not at its canonical address or has nothing to search', () => {
    for (const search of ['?q=Redmi', '?article=x&q=redmi', '?q=redmi&utm=1', '?q=', '?q=%22%22', '']) assert.equal(searchCacheKey(search), null, search);
  });

  it('give no key past what a file name can hold: such a search is rendered per request', () => {
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join('+');
    assert.equal(searchCacheKey(`?q=${long}`), null);
  });

  it('read no search from a made-up key, or from the key of a non-canonical spelling', () => {
    for (const key of ['', '!!', 'a/b', Buffer.from('q=Redmi').toString('base64url'), Buffer.from('q=redmi&x=1').toString('base64url'), 'A'.repeat(201)]) {
      assert.equal(searchOfCacheKey(key), null, key);
    }
  });
});
