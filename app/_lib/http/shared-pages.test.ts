import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freshPage, markWritten, publishPage } from './shared-pages.mjs';

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

  it('a page without the mark counts from when it was stored', async () => {
    markWritten('writer-2');
    await sleep(5);
    publishPage('/articles/race-two', { html: html(null), headers: policy }, Date.now());
    assert.notEqual(freshPage('/articles/race-two', 'writer-2'), null);
  });
});
