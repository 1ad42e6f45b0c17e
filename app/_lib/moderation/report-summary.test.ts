import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportSummary } from './report-summary';

describe('the queue’s one-line summary of a comment’s reports', () => {
  it('groups by reason, the most given first', () => {
    assert.equal(reportSummary([{ reason: 'abuse' }, { reason: 'spam' }, { reason: 'spam' }]), '3 reports: spam ×2, abuse ×1');
  });
  it('orders ties as the report form does', () => {
    assert.equal(reportSummary([{ reason: 'other' }, { reason: 'off-topic' }]), '2 reports: off-topic ×1, other ×1');
  });
  it('says one report in the singular', () => {
    assert.equal(reportSummary([{ reason: 'spam' }]), '1 report: spam ×1');
  });
});
