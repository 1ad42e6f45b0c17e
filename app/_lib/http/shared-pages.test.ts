import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freshPage, markChanged, markWritten, outdatedByOutsideChange, publishPage, unpublishPage } from './shared-pages.mjs';
import { noteOutsideChanges } from './outside-changes.mjs';

const policy = { 'content-security-policy': "script-src 'self'" };
const html = (readAt: number | null) =>
  `<!DOCTYPE html><html><body><div class="page page--article"${readAt === null ? '' : ` data-read-at="${readAt}"`}>…</div></body></html>`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the pages signed-in readers are served from', () => {
  it('a page is current for a writer only if its data was read after their write, whenever it was stored', async () => {
    const readBefore = Date.now();
    await sleep(5);
    markWritten('writer-1');
    await sleep(5);
    // A render that read the database before the write and was stored after it: stale for the writer.
    publishPage('/route-cache/APP_PAGE/abc/$/articles/race-one', { html: html(readBefore), headers: policy }, Date.now());
    assert.equal(freshPage('/articles/race-one', 'writer-1'), null);
    assert.notEqual(freshPage('/articles/race-one', 'someone-else'), null, 'others may have it');
    // A render that read after the write shows it.
    publishPage('/route-cache/APP_PAGE/abc/$/articles/race-one', { html: html(Date.now()), headers: policy }, Date.now() + 1);
    assert.notEqual(freshPage('/articles/race-one', 'writer-1'), null);
  });

  it('a stored search is current until any article changes or the reader writes, and gone once the cache drops it', async () => {
    const key = '/route-cache/APP_PAGE/abc/$/search/results/cT1yZWRtaQ';
    const address = '/search/results/cT1yZWRtaQ';
    await sleep(5);
    publishPage(key, { html: html(Date.now()), headers: policy }, Date.now());
    assert.notEqual(freshPage(address, 'reader-s'), null);
    await sleep(5);
    markChanged('some-other-article');
    assert.equal(freshPage(address, 'reader-s'), null, 'a change to any article may change any search');
    await sleep(5);
    publishPage(key, { html: html(Date.now()), headers: policy }, Date.now());
    assert.notEqual(freshPage(address, 'reader-s'), null);
    await sleep(5);
    markWritten('reader-s');
    assert.equal(freshPage(address, 'reader-s'), null, 'the writer sees their own write');
    assert.notEqual(freshPage(address, 'reader-t'), null, 'others may have it until the change is marked');
    unpublishPage(key);
    assert.equal(freshPage(address, 'reader-t'), null);
  });

  it('a page without the mark counts from when it was stored', async () => {
    markWritten('writer-2');
    await sleep(5);
    publishPage('/articles/race-two', { html: html(null), headers: policy }, Date.now());
    assert.notEqual(freshPage('/articles/race-two', 'writer-2'), null);
  });

  it('a page stored before another process changed its article (the import command) is stale for everyone and for the cache', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-'));
    const previous = process.env.DATABASE_PATH;
    process.env.DATABASE_PATH = path.join(folder, 'blog.db');
    try {
      const key = '/route-cache/APP_PAGE/abc/$/articles/imported-into';
      const value = { html: html(Date.now()), headers: policy };
      publishPage(key, value, Date.now());
      assert.notEqual(freshPage('/articles/imported-into', 'reader'), null);
      assert.equal(outdatedByOutsideChange(key, value, Date.now()), false);
      await sleep(5);
      noteOutsideChanges(['imported-into']);
      assert.equal(freshPage('/articles/imported-into', 'reader'), null);
      assert.equal(outdatedByOutsideChange(key, value, Date.now() - 10), true);
      assert.equal(outdatedByOutsideChange('/route-cache/APP_PAGE/abc/$/articles/other', { html: html(null) }, Date.now() - 10), false, 'other articles stay');
      // The article's social card, a route's body, shows its comment count: stale with it.
      const card = '/route-cache/APP_ROUTE/def/$/articles/imported-into/card.png';
      assert.equal(outdatedByOutsideChange(card, { body: Buffer.from('png') }, Date.now() - 10), true);
      assert.equal(outdatedByOutsideChange(card, { body: Buffer.from('png') }, Date.now() + 10), false);
      // A signed-out search's results may hold any article's comments: stale after any article's change.
      const results = '/route-cache/APP_PAGE/ghi/$/search/results/cT14aWFvbWk';
      assert.equal(outdatedByOutsideChange(results, { html: html(null) }, Date.now() - 10), true);
      assert.equal(outdatedByOutsideChange(results, { html: html(null) }, Date.now() + 10), false);
      await sleep(5);
      // Rendered again after the change: current.
      const again = { html: html(Date.now()), headers: policy };
      assert.equal(outdatedByOutsideChange(key, again, Date.now()), false);
      publishPage(key, again, Date.now());
      assert.notEqual(freshPage('/articles/imported-into', 'reader'), null);
    } finally {
      process.env.DATABASE_PATH = previous;
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
