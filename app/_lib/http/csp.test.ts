import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';
import { addPolicy } from './cache-handler.mjs';
import { CSP_HEADER, createNonce, hashPolicy, inlineScripts, noncePolicy } from './csp.mjs';

const sha256 = (text: string) => `'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const scriptSources = (policy: string) => policy.split('; ').find((d) => d.startsWith('script-src '))?.split(' ').slice(1) ?? [];

describe('content security policy', () => {
  it('finds exactly the inline scripts a browser would run, as raw text', () => {
    const html = [
      '<p>a &amp; b</p>',
      '<script src="/_next/static/chunk.js" async=""></script>',
      '<script type="application/ld+json">{"@type":"NewsArticle"}</script>',
      '<script>self.__next_f.push([1,"a &amp; \\u003c/script>"])</script>',
      '<SCRIPT type="module">import("/x.js")</SCRIPT>',
      '<script>"</scr" + "ipt>"; done()</script >',
      '<script></script>',
    ].join('');
    assert.deepEqual(inlineScripts(html), [
      'self.__next_f.push([1,"a &amp; \\u003c/script>"])',
      'import("/x.js")',
      '"</scr" + "ipt>"; done()',
      '',
    ]);
  });

  it('a cached page is allowed its own inline scripts by hash and nothing inline besides', () => {
    const policy = hashPolicy('<script>one()</script><script>two()</script><script>one()</script>');
    assert.deepEqual(scriptSources(policy), ["'self'", sha256('one()'), sha256('two()')]);
    assert.ok(!scriptSources(policy).includes("'unsafe-inline'"));
    assert.match(policy, /frame-ancestors 'none'/);
    assert.match(policy, /object-src 'none'/);
    assert.match(policy, /base-uri 'self'/);
  });

  it('a page rendered per request is allowed its nonce, which is fresh each time', () => {
    const first = createNonce();
    assert.notEqual(first, createNonce());
    assert.equal(Buffer.from(first, 'base64').length, 16);
    assert.deepEqual(scriptSources(noncePolicy(first)), ["'self'", `'nonce-${first}'`]);
  });

  it('the cache handler gives cached pages a policy in place, and keeps one they have', () => {
    const page = { kind: 'APP_PAGE', html: '<script>go()</script>', headers: { 'x-next-cache-tags': 't' } };
    const headers = page.headers;
    addPolicy(page);
    // In place: Next answers the request that caused the render with this same headers object.
    assert.equal(page.headers, headers);
    assert.deepEqual(scriptSources((headers as Record<string, string>)[CSP_HEADER]!), ["'self'", sha256('go()')]);

    const stored = { kind: 'APP_PAGE', html: '<script>changed()</script>', headers: { [CSP_HEADER]: 'kept' } };
    addPolicy(stored);
    assert.equal(stored.headers[CSP_HEADER], 'kept');

    const route = { kind: 'APP_ROUTE', body: '{}', headers: {} as Record<string, string> };
    addPolicy(route);
    assert.equal(route.headers[CSP_HEADER], undefined);
  });
});
