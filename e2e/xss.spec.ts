import { ARTICLE_PATH, apiPostComment, expect, newReader, signUpAs, test } from './fixtures';
import { HOSTILE_COMMENTS as PAYLOADS } from './hostile-corpus';

/*
 * Hostile comments (e2e/hostile-corpus.ts), stored through the real API and rendered by the real
 * page in Chromium. Each script payload would set window.__xss (or open a dialog) if any script ran.
 */

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
