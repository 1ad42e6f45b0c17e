import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeDb, openDatabase } from '../index';
import { createTemporaryDatabase } from '../test-db';
import { clearRateLimit, hitRateLimit } from './rate-limits';

const temp = createTemporaryDatabase();
after(() => {
  closeDb();
  temp.cleanup();
});

describe('fixed-window rate limits in SQLite', () => {
  it('allows up to the limit in a window, then says how long to wait', () => {
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i += 1) assert.deepEqual(hitRateLimit('k1', 3, 60_000, t0 + i), { allowed: true });
    assert.deepEqual(hitRateLimit('k1', 3, 60_000, t0 + 10_000), { allowed: false, retryAfterMs: 50_000 });
    assert.deepEqual(hitRateLimit('k1', 3, 60_000, t0 + 60_000), { allowed: true }, 'a new window starts');
  });

  it('keeps counts apart per key, and clearing a key resets it', () => {
    const t0 = 2_000_000;
    assert.deepEqual(hitRateLimit('a', 1, 60_000, t0), { allowed: true });
    assert.deepEqual(hitRateLimit('b', 1, 60_000, t0), { allowed: true });
    assert.equal(hitRateLimit('a', 1, 60_000, t0 + 1).allowed, false);
    clearRateLimit('a');
    assert.deepEqual(hitRateLimit('a', 1, 60_000, t0 + 2), { allowed: true });
  });

  it('survives a restart: the count is in the database file', () => {
    const t0 = Date.now();
    assert.deepEqual(hitRateLimit('restart', 1, 60_000, t0), { allowed: true });
    closeDb();
    const reopened = openDatabase(temp.file);
    reopened.$client.close();
    assert.equal(hitRateLimit('restart', 1, 60_000, t0 + 5).allowed, false);
  });
});
