import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countOf, formatCount, timeAgo } from './format';

describe('formatCount', () => {
  it('groups digits as toLocaleString("en") does', () => {
    for (const n of [0, 1, 12, 999, 1000, 5000, 12_345, 999_999, 1_000_000, 1_234_567_890, -1, -1234, Number.MAX_SAFE_INTEGER]) {
      assert.equal(formatCount(n), n.toLocaleString('en'), String(n));
    }
  });

  it('says one thing in the singular and anything else in the plural', () => {
    assert.equal(countOf(1, 'comment'), '1 comment');
    assert.equal(countOf(0, 'comment'), '0 comments');
    assert.equal(countOf(1234, 'reply', 'replies'), '1,234 replies');
  });
});

describe('timeAgo', () => {
  it('says what Intl.RelativeTimeFormat("en", { numeric: "auto" }) says, from seconds to years, past and future', () => {
    const intl = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
    const units: [Intl.RelativeTimeFormatUnit, number][] = [
      ['year', 31_536_000],
      ['month', 2_592_000],
      ['week', 604_800],
      ['day', 86_400],
      ['hour', 3_600],
      ['minute', 60],
    ];
    const reference = (seconds: number) => {
      for (const [unit, size] of units) if (Math.abs(seconds) >= size) return intl.format(Math.round(seconds / size), unit);
      return 'just now';
    };
    const now = Date.UTC(2026, 11, 2, 12);
    const offsets = [0, 1, 59, 60, 61, 89, 90, 3599, 3600, 5400, 7200, 86_399, 86_400, 129_600, 172_800, 604_800, 1_209_600, 2_592_000, 5_184_000, 31_536_000, 63_072_000, 400_000_000];
    for (const seconds of offsets) {
      for (const sign of [-1, 1]) {
        const at = now + sign * seconds * 1000;
        assert.equal(timeAgo(at, now), reference(sign * seconds), `${sign * seconds} s`);
      }
    }
  });
});
