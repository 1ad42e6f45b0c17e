/*
 * The hostile-comment corpus, shared by the specs that store comments through the real API and
 * read them back: as a page in Chromium (xss.spec.ts) and as an Atom feed (feeds.spec.ts).
 */

/** Markup and links that would set window.__xss (or open a dialog) if any script ran. */
export const SCRIPT_PAYLOADS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=2">',
  '<svg onload="window.__xss=3">',
  '<svg><script>window.__xss=4</script></svg>',
  '[click](javascript:window.__xss=5)',
  '[click](JAVASCRIPT:window.__xss=6)',
  '[click](  javascript:window.__xss=7)',
  '[click](java&#x73;cript:window.__xss=8)',
  '[click](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9OTwvc2NyaXB0Pg==)',
  '<a href="javascript:window.__xss=10">x</a>',
  '<iframe src="javascript:window.__xss=11"></iframe>',
  '<body onload="window.__xss=12">',
  '<div style="background:url(javascript:window.__xss=13)">x</div>',
  '"><script>window.__xss=14</script>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=15">',
  '<details open ontoggle="window.__xss=16">',
  '![x](x" onerror="window.__xss=17)',
  '![x](javascript:window.__xss=18)',
  '[x](vbscript:msgbox(19))',
  '<object data="javascript:window.__xss=20"></object>',
  '<embed src="javascript:window.__xss=21">',
  '<form action="javascript:window.__xss=22"><button>go</button></form>',
  '<input autofocus onfocus="window.__xss=23">',
  '`<script>window.__xss=24</script>`',
  '```html\n<script>window.__xss=25</script>\n```',
  '<scr<script>ipt>window.__xss=26</scr</script>ipt>',
  '<<script>script>window.__xss=27<</script>/script>',
  '<a href="&#106;avascript:window.__xss=28">x</a>',
  '[x](&#106;avascript:window.__xss=29)',
  '<img src="x" onerror=window.__xss=30 />',
  "<style>@import 'javascript:window.__xss=31';</style>",
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=32">',
  '[a](https://example.com" onmouseover="window.__xss=33)',
  '<link rel=import href="data:text/html,<script>window.__xss=34</script>">',
  '<!--<img src="--><img src=x onerror=window.__xss=35//">',
  '<noscript><p title="</noscript><img src=x onerror=window.__xss=36>">',
  '[x](<javascript:window.__xss=37>)',
  '<a href="https://example.com" target="_blank" rel="opener">opener</a>',
  '> <img src=x onerror=window.__xss=39>\n> quoted',
  '- <svg/onload=window.__xss=40>\n- item',
];

/**
 * Text XML cannot hold as written: characters XML 1.0 forbids even as references (C0 controls
 * other than tab, newline and carriage return; the noncharacters U+FFFE and U+FFFF), the end
 * of a CDATA section, and declarations a careless writer would pass through. The API refuses
 * null bytes and lone surrogates (app/_lib/comments/validation.ts), so they are not here.
 */
export const XML_PAYLOADS = [
  'Controls \u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008 and \u000B\u000C\u000E\u000F\u0010\u001B\u001F between words',
  'Noncharacters \uFFFE and \uFFFF between words',
  'A CDATA end ]]> in the text, and ]]]]><![CDATA[> as a writer would split it',
  '`]]>` in code, and <![CDATA[ a section ]]> written out',
  '```\n]]>\n<![CDATA[\n```',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY boom "boom">]>&boom; &amp; &lt; &#1; &#xFFFE; &bogus; & < > " \'',
  'Delete \u007F, next line \u0085, line separator \u2028, right-to-left \u202E override, zero width \u200B, emoji 😀',
];

/** Every hostile comment, in the order the specs post them. */
export const HOSTILE_COMMENTS = [...SCRIPT_PAYLOADS, ...XML_PAYLOADS];
