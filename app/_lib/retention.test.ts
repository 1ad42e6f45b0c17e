import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DRAFT_MAX_AGE_MS } from '@/db/queries/comment-writes';
import { parseSettings } from './config.mjs';
import { ADDRESS_LIMITS } from './rate-limit';
import { duration, retention } from './retention';

const DAY = 24 * 60 * 60 * 1000;

describe('the retention periods', () => {
  it('come from the settings, with the defaults the issue asks for, and the draft rule the drafts use', () => {
    const kept = retention(parseSettings({}));
    assert.equal(kept.rejectedCommentMs, 365 * DAY);
    assert.equal(kept.addressKeyMs, 30 * DAY);
    assert.equal(kept.draftMs, DRAFT_MAX_AGE_MS);
    assert.deepEqual(kept.addressLimits, Object.values(ADDRESS_LIMITS));
    const set = retention(parseSettings({ RETAIN_REJECTED_DAYS: '90', RETAIN_IP_DAYS: '7' }));
    assert.deepEqual([set.rejectedCommentMs, set.addressKeyMs], [90 * DAY, 7 * DAY]);
  });

  it('are said in the largest whole unit', () => {
    assert.deepEqual(
      [365 * DAY, DAY, 36 * 60 * 60 * 1000, 30_000, 90_000, 1000].map(duration),
      ['365 days', '1 day', '36 hours', '30 seconds', '90 seconds', '1 second'],
    );
  });
});
