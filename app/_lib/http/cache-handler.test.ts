import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
// Next's own file operations, as it hands them to a cache handler.
import { nodeFs } from 'next/dist/server/lib/node-fs-methods.js';

// A small bound, read when the handler module loads.
process.env.PAGE_CACHE_MAX_ENTRIES = '3';
process.env.SEARCH_CACHE_MAX_ENTRIES = '2';
const { default: Handler } = await import('./cache-handler.mjs');
const { CSP_HEADER } = await import('./csp.mjs');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-handler-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

// How Next 16 constructs the handler and calls it for an App Router page (no memory cache, so
// every read comes from the files).
const handler = () => new Handler({ fs: nodeFs, flushToDisk: true, serverDistDir: dir, revalidatedTags: [], maxMemoryCacheSize: 0 });
const setContext = { cacheControl: { revalidate: 3600, expire: 31536000 }, isRoutePPREnabled: false, isFallback: false };
const getContext = { kind: 'APP_PAGE', isRoutePPREnabled: false, isFallback: false };
const keyOf = (name: string) => `/route-cache/APP_PAGE/0123abcd/$/articles/${name}`;
/** A signed-out search's page (app/search/results/[key]), as proxy.ts rewrites /search?q= to it. */
const searchKeyOf = (name: string) => `/route-cache/APP_PAGE/0123abcd/$/search/results/${name}`;
const page = (name: string, status = 200) => ({
  kind: 'APP_PAGE',
  html: `<h1>${name}</h1><script>self.__next_f.push([1,"${name}"])</script>`,
  rscData: Buffer.from(`rsc ${name}`),
  headers: { 'x-next-cache-tags': `t-${name}` },
  status,
  postponed: undefined,
  segmentData: new Map([['/_tree', Buffer.from(`tree ${name}`)]]),
});

/** Every file under the cache folder whose name starts with this page's. */
function filesOf(name: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((file) => path.basename(file).startsWith(`${name}.`) || file.includes(`/${name}.segments/`));
}

describe('the page cache handler on the pinned Next', () => {
  it('stores a page in the entry shape it relies on, and reads it back with its script policy', async () => {
    await handler().set(keyOf('shape'), page('shape'), setContext);
    const value = (await handler().get(keyOf('shape'), getContext))?.value;
    assert.ok(value, 'the stored page is read back from its files');
    assert.equal(value.kind, 'APP_PAGE');
    assert.equal(value.html, page('shape').html);
    assert.equal(value.status, 200);
    assert.equal(String(value.rscData), 'rsc shape');
    assert.equal(value.headers?.['x-next-cache-tags'], 't-shape');
    assert.match(String(value.headers?.[CSP_HEADER]), /script-src 'self' 'sha256-/);
    assert.ok(filesOf('shape').length >= 4, filesOf('shape').join(', '));
  });

  it('does not store a page that did not render (a 404 for a made-up address)', async () => {
    await handler().set(keyOf('junk'), page('junk', 404), setContext);
    assert.equal(await handler().get(keyOf('junk'), getContext), null);
    assert.deepEqual(filesOf('junk'), []);
  });

  it('keeps at most its bound of entries, removing every file of the least recently used', async () => {
    for (const name of ['p1', 'p2']) await handler().set(keyOf(name), page(name), setContext);
    // "shape", p1, p2 stored; reading "shape" makes p1 the least recently used.
    assert.ok(await handler().get(keyOf('shape'), getContext));
    await handler().set(keyOf('p3'), page('p3'), setContext);
    assert.deepEqual(filesOf('p1'), [], 'the least recently used entry is removed, all its files');
    assert.equal(await handler().get(keyOf('p1'), getContext), null);
    for (const name of ['shape', 'p2', 'p3']) assert.ok(await handler().get(keyOf(name), getContext), name);

    for (let i = 0; i < 50; i += 1) await handler().set(keyOf(`many${i}`), page(`many${i}`), setContext);
    const htmlFiles = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((file) => file.endsWith('.html'));
    assert.equal(htmlFiles.length, 3);
  });

  it('keeps search results under a bound of their own, so a flood of distinct searches cannot push the article pages out', async () => {
    const articles = ['kept1', 'kept2', 'kept3'];
    for (const name of articles) await handler().set(keyOf(name), page(name), setContext);
    for (let i = 0; i < 30; i += 1) await handler().set(searchKeyOf(`q${i}`), page(`q${i}`), setContext);
    for (const name of articles) assert.ok(await handler().get(keyOf(name), getContext), `${name} is still cached`);
    const searchPages = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((file) => file.includes('search') && file.endsWith('.html'));
    assert.equal(searchPages.length, 2, searchPages.join(', '));
    assert.ok(await handler().get(searchKeyOf('q29'), getContext), 'the newest search is kept');
    assert.equal(await handler().get(searchKeyOf('q0'), getContext), null, 'the oldest search is gone');
  });
});
