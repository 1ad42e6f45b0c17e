import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { config } from '@/proxy';
import { DEFAULT_VIEW, VIEW_PARAMS, canonicalView, parseView, viewFromSegment, viewQuery, viewSegment } from './view';

describe('discussion views in the address', () => {
  it('reads a view and writes it back in one canonical form', () => {
    const view = parseView(new URLSearchParams('question=targets&sort=top&after=1764165900000.27'));
    assert.deepEqual(view, { sort: 'top', after: '1764165900000.27', comment: null, question: 'targets' });
    assert.equal(viewQuery(view), 'sort=top&question=targets&after=1764165900000.27');
    assert.deepEqual(viewFromSegment(viewSegment(view)), view);
  });

  it('falls back to the default for unknown or malformed values', () => {
    assert.deepEqual(parseView(new URLSearchParams('sort=random&after=x;drop&comment=-4&question=../etc')), DEFAULT_VIEW);
    assert.equal(viewQuery(DEFAULT_VIEW), '');
    assert.deepEqual(viewFromSegment('%E0%A4%A'), DEFAULT_VIEW);
  });

  it('a cached view has one address: other spellings, and the default view, name none', () => {
    const view = parseView(new URLSearchParams('sort=top&comment=12'));
    assert.deepEqual(canonicalView(viewSegment(view)), view);
    assert.deepEqual(canonicalView(viewQuery(view)), view);
    for (const other of ['comment%3D12%26sort%3Dtop', 'sort%3Dtop%26comment%3D12%26x%3D1', 'junk-1', '', 'sort%3Doldest', '%E0%A4%A']) {
      assert.equal(canonicalView(other), null, other);
    }
  });

  it('the proxy runs for every view parameter', () => {
    const keys = config.matcher.flatMap((m) => (typeof m === 'string' ? [] : m.has.map((h) => `${h.type}:${h.key}`)));
    for (const param of VIEW_PARAMS) assert.ok(keys.includes(`query:${param}`), param);
  });
});
