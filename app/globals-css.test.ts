import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import postcss from 'postcss';

/*
 * The stylesheet uses no CSS nesting, so a rule inside another rule is an unclosed brace: every
 * rule after it then applies only inside that selector, which browsers accept without a word
 * (a merge once left `.comment__actions > a {` open, and the focused pages lost their styles).
 */
describe('app/globals.css', () => {
  it('parses, and no rule sits inside another rule', () => {
    const root = postcss.parse(fs.readFileSync('app/globals.css', 'utf8'), { from: 'app/globals.css' });
    const nested: string[] = [];
    root.walkRules((rule) => {
      if (rule.parent?.type === 'rule') nested.push(`${rule.selector} (line ${rule.source?.start?.line}) inside ${(rule.parent as postcss.Rule).selector}`);
    });
    assert.deepEqual(nested.slice(0, 3), []);
  });
});
