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

  it('a cached page is allowed the inline scripts Next wrote, by hash, and nothing inline besides', () => {
    const start = '(self.__next_f=self.__next_f||[]).push([0])';
    const flight = 'self.__next_f.push([1,"1:\\"$Sreact.fragment\\"\\n"])';
    const chunks = '(globalThis["TURBOPACK"] || (globalThis["TURBOPACK"] = [])).push({"otherChunks":["static/chunks/a.js"]});';
    const script = (text: string) => `<script>${text}</script>`;
    const policy = hashPolicy([start, flight, chunks, flight].map(script).join(''));
    assert.deepEqual(scriptSources(policy), ["'self'", sha256(start), sha256(flight), sha256(chunks)]);
    assert.ok(!scriptSources(policy).includes("'unsafe-inline'"));
    assert.match(policy, /frame-ancestors 'none'/);
    assert.match(policy, /object-src 'none'/);
    assert.match(policy, /base-uri 'self'/);
  });

  it('an inline script Next did not write is left out of a cached page\'s policy', () => {
    const flight = 'self.__next_f.push([1,"ok"])';
    // What a sanitizer failure could put in a comment: plain code, and code dressed as Next's calls.
    const injected = ['alert(1)', 'self.__next_f.push([1,"x"]);alert(1)', 'self.__next_f.push(alert(1))', 'self.__next_f.push([1])//)', 'self.__next_f.push([1]);;'];
    const policy = hashPolicy([flight, ...injected].map((text) => `<script>${text}</script>`).join(''));
    assert.deepEqual(scriptSources(policy), ["'self'", sha256(flight)]);
  });

  it('a page rendered per request is allowed its nonce, which is fresh each time', () => {
    const first = createNonce();
    assert.notEqual(first, createNonce());
    assert.equal(Buffer.from(first, 'base64').length, 16);
    assert.deepEqual(scriptSources(noncePolicy(first)), ["'self'", `'nonce-${first}'`]);
  });

  it('the cache handler gives cached pages a policy in place, and keeps one they have', () => {
    const page = { kind: 'APP_PAGE', html: '<script>self.__next_f.push([0])</script>', headers: { 'x-next-cache-tags': 't' } };
    const headers = page.headers;
    addPolicy(page);
    // In place: Next answers the request that caused the render with this same headers object.
    assert.equal(page.headers, headers);
    assert.deepEqual(scriptSources((headers as Record<string, string>)[CSP_HEADER]!), ["'self'", sha256('self.__next_f.push([0])')]);

    const stored = { kind: 'APP_PAGE', html: '<script>changed()</script>', headers: { [CSP_HEADER]: 'kept' } };
    addPolicy(stored);
    assert.equal(stored.headers[CSP_HEADER], 'kept');

    const route = { kind: 'APP_ROUTE', body: '{}', headers: {} as Record<string, string> };
    addPolicy(route);
    assert.equal(route.headers[CSP_HEADER], undefined);
  });
});
