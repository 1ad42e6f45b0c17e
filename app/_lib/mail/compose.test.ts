import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { site } from '../content/site';
import { composeMail, excerpt, newMessageId } from './compose';

describe('a composed message', () => {
  const mail = composeMail(
    'New reply from <script>alert(1)</script>\r\nBcc: someone@example.test',
    {
      greeting: 'Hello Ana & "friends",',
      paragraphs: ['<b>Bo</b> replied to your comment:', 'Second\nparagraph'],
      quote: { text: 'I <3 this phone </blockquote><script>x()</script>', author: '<img src=x onerror=alert(1)>' },
      action: { label: 'Read the reply <now>', url: 'https://news.example/articles/a-b#comment-7?x="y"' },
      footer: ['You get this because you asked for replies.'],
    },
    { 'List-Unsubscribe': '<https://news.example/u/abc>' },
  );

  it('has its subject on one line, so no text can add a header', () => {
    assert.equal(mail.subject, 'New reply from <script>alert(1)</script> Bcc: someone@example.test');
  });

  it('escapes every string in the HTML part, where it arrives as text', () => {
    assert.ok(!/<script|<img|<b>|<\/blockquote><script/i.test(mail.html), mail.html);
    for (const escaped of ['&lt;b&gt;Bo&lt;/b&gt;', 'Ana &amp; &quot;friends&quot;', 'I &lt;3 this phone &lt;/blockquote&gt;&lt;script&gt;', '&lt;img src=x onerror=alert(1)&gt;', 'Read the reply &lt;now&gt;']) {
      assert.ok(mail.html.includes(escaped), escaped);
    }
    assert.ok(mail.html.includes('<title>New reply from &lt;script&gt;alert(1)&lt;/script&gt; Bcc: someone@example.test</title>'));
    assert.ok(mail.html.includes('href="https://news.example/articles/a-b#comment-7?x=%22y%22"'), 'the link as a URL, its quotes encoded');
    assert.ok(mail.html.includes('Second<br>paragraph'));
    // Every attribute value is one quoted string: no stray quote ends one early.
    for (const [, value] of mail.html.matchAll(/ [a-z-]+="([^"]*)"/g)) assert.ok(!/[<>]/.test(value!), value);
    assert.equal((mail.html.match(/"/g) ?? []).length % 2, 0);
    assert.ok(!/style="[^"]*"[^ >]/.test(mail.html), 'an attribute ends where it should');
  });

  it('says the same in its text part, as plain text, signed with the site', () => {
    assert.equal(
      mail.text,
      [
        'Hello Ana & "friends",',
        '',
        '<b>Bo</b> replied to your comment:',
        '',
        'Second\nparagraph',
        '',
        '> I <3 this phone </blockquote><script>x()</script>',
        '> — <img src=x onerror=alert(1)>',
        '',
        'Read the reply <now>:\nhttps://news.example/articles/a-b#comment-7?x=%22y%22',
        '',
        '-- ',
        site.name,
        site.url,
        'You get this because you asked for replies.',
        '',
      ].join('\n'),
    );
    assert.ok(mail.html.includes(site.name));
  });

  it('is marked automatic, keeps extra headers and has a Message-ID on the site host', () => {
    assert.deepEqual(mail.headers, {
      'List-Unsubscribe': '<https://news.example/u/abc>',
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'OOF, AutoReply',
    });
    assert.match(mail.messageId, new RegExp(`^<[a-z0-9]+\\.[A-Za-z0-9_-]{16}@${new URL(site.url).hostname}>$`));
    assert.notEqual(newMessageId(), newMessageId());
    assert.match(newMessageId('https://news.example'), /@news\.example>$/);
  });

  it('refuses what would break the message or the reader: a script link, a header with a line break', () => {
    assert.throws(() => composeMail('s', { paragraphs: [], action: { label: 'x', url: 'javascript:alert(1)' } }), /http/);
    assert.throws(() => composeMail('s', { paragraphs: [] }, { 'X-Note': 'a\r\nBcc: b@example.test' }), /line break/);
    assert.throws(() => composeMail('s', { paragraphs: [] }, { Bcc: 'b@example.test' }), /not a header/);
    assert.throws(() => composeMail('  \n ', { paragraphs: [] }), /subject/);
  });
});

describe('excerpt', () => {
  it('folds whitespace and cuts at a word with an ellipsis', () => {
    assert.equal(excerpt('  short\n\ntext '), 'short text');
    assert.equal(excerpt('one two three four five', 12), 'one two…');
    assert.equal(excerpt('x'.repeat(20), 10), `${'x'.repeat(9)}…`);
  });
});
