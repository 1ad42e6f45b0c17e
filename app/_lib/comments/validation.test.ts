import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commentRefSchema } from './validation';
import { commentDecisionSchema } from '../moderation/validation';

describe('record ids from forms and JSON', () => {
  const read = (commentId: unknown) => commentRefSchema.safeParse({ commentId });

  it('accepts decimal digits and whole JSON numbers', () => {
    assert.deepEqual(read('42').data, { commentId: 42 });
    assert.deepEqual(read(42).data, { commentId: 42 });
  });

  it('reads anything else as a comment that does not exist', () => {
    for (const value of ['0x1', '1e0', ' 1', '1.0', '-3', '0', '', 'one', '99999999999999999', 1.5, -1, 2 ** 60, null, undefined, ['1'], { $gt: 0 }]) {
      const result = read(value);
      assert.equal(result.success, false, JSON.stringify(value));
      assert.equal(result.error?.issues[0]?.message, 'That comment does not exist.', JSON.stringify(value));
    }
  });

  it('moderation forms read ids by the same rule', () => {
    assert.equal(commentDecisionSchema.safeParse({ commentId: '0x1', articleSlug: 'a', reason: '' }).success, false);
    assert.equal(commentDecisionSchema.safeParse({ commentId: '7', articleSlug: 'a', reason: '' }).data?.commentId, 7);
  });
});
