import { ARTICLE_PATH, apiPostComment, expect, newReader, signUpAs, test } from './fixtures';

/*
 * Hostile comments, stored through the real API and rendered by the real page in Chromium.
 * Each payload would set window.__xss (or open a dialog) if any script ran.
 */
const PAYLOADS = [
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

const ACTIVE_TAGS = ['script', 'iframe', 'object', 'embed', 'svg', 'math', 'style', 'img', 'form', 'input', 'button', 'meta', 'link', 'details', 'noscript', 'body', 'div'];

test('hostile comments are shown as harmless text: no script runs and no active markup survives', async ({ page }) => {
  expect(PAYLOADS.length).toBeGreaterThanOrEqual(30);
  await signUpAs(page, newReader('Hostile Tester'));
  const root = await apiPostComment(page, 'Thread for hostile input');
  for (const payload of PAYLOADS) await apiPostComment(page, payload, { parentId: root.id });

  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await page.goto(`${ARTICLE_PATH}?comment=${root.id}`);
  const bodies = page.locator(`#comment-${root.id} ~ ol.replies .comment__body`);
  await expect(bodies).toHaveCount(PAYLOADS.length);

  // Give anything that could run the chance: hover and focus every link, click none away.
  for (const link of await bodies.locator('a').all()) {
    await link.hover();
    await link.focus();
  }
  await page.waitForTimeout(500);

  const report = await page.evaluate((activeTags) => {
    const found: string[] = [];
    for (const body of document.querySelectorAll('.comment__body')) {
      for (const el of body.querySelectorAll('*')) {
        const tag = el.tagName.toLowerCase();
        if (activeTags.includes(tag)) found.push(`<${tag}>`);
        for (const attr of el.attributes) {
          if (attr.name.startsWith('on') || attr.name === 'style' || attr.name === 'src' || attr.name === 'target') {
            found.push(`${tag}[${attr.name}]`);
          }
          if (attr.name === 'href' && !/^(https?:|mailto:|#)/i.test(attr.value)) found.push(`${tag}[href=${attr.value}]`);
        }
        if (tag === 'a' && el.getAttribute('rel') !== 'ugc nofollow noopener noreferrer') found.push('a without ugc rel');
      }
    }
    return { found, xss: (window as unknown as { __xss?: unknown }).__xss ?? null };
  }, ACTIVE_TAGS);

  expect(report.xss).toBeNull();
  expect(dialogs).toEqual([]);
  expect(report.found).toEqual([]);
  // The hostile text is still there to read, escaped.
  await expect(bodies.filter({ hasText: '<script>window.__xss=1</script>' })).toHaveCount(1);
});
