import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { htmlToText, markdownToText, renderMarkdown, sanitizeImportedHtml } from './markdown';

describe('Markdown rendering', () => {
  it('renders paragraphs, emphasis, code, quotes and lists', () => {
    const html = renderMarkdown('Hello *there* and `code`\n\n> quoted\n\n- one\n- two');
    assert.match(html, /<p>Hello <em>there<\/em> and <code>code<\/code><\/p>/);
    assert.match(html, /<blockquote>\s*<p>quoted<\/p>\s*<\/blockquote>/);
    assert.match(html, /<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
  });

  it('escapes raw HTML instead of passing it through', () => {
    const html = renderMarkdown('<script>alert(1)</script><img src=x onerror=alert(1)>');
    assert.equal(html.includes('<script'), false);
    assert.equal(html.includes('<img'), false);
    assert.match(html, /&lt;script&gt;/);
  });

  it('drops javascript: and data: links, keeps http links with rel="ugc nofollow noopener noreferrer"', () => {
    // The link is refused and stays as inert text: no anchor, no href.
    for (const source of ['[x](javascript:alert(1))', '[x](JaVaScRiPt:alert(1))', '[x](data:text/html;base64,PHNjcmlwdD4=)']) {
      const html = renderMarkdown(source);
      assert.equal(/<a\b|href=/i.test(html), false, html);
    }
    assert.match(
      renderMarkdown('[site](https://example.com)'),
      /<a href="https:\/\/example\.com" rel="ugc nofollow noopener noreferrer">site<\/a>/,
    );
  });

  it('gives comments no headings, but articles keep them', () => {
    assert.equal(renderMarkdown('## Title', 'comment').includes('<h2'), false);
    assert.match(renderMarkdown('## Title', 'article'), /<h2>Title<\/h2>/);
  });

  it('turns Markdown into plain text without entities or markup', () => {
    assert.equal(markdownToText('R&D is *up*.\n\nSecond   line\nwraps.'), 'R&D is up.\n\nSecond   line wraps.');
  });

  it('imported HTML keeps what a comment may hold: scripts, handlers and javascript: links go, links get ugc nofollow', () => {
    const html = sanitizeImportedHtml(
      'Hi <b>all</b>\n<script>alert(1)</script><a href="javascript:x()" onclick="x()">bad</a> <a href="https://e.example/" onmouseover="y()">good</a>\n\nSecond <img src=x onerror=alert(1)>line',
    );
    assert.equal(
      html,
      '<p>Hi all<br /><a rel="ugc nofollow noopener noreferrer">bad</a> <a href="https://e.example/" rel="ugc nofollow noopener noreferrer">good</a></p><p>Second line</p>',
    );
    assert.equal(sanitizeImportedHtml(html), html, 'sanitizing twice changes nothing (the JSON import runs it again)');
    assert.equal(htmlToText(html), 'Hi all\nbad good\n\nSecond line');
  });
});

