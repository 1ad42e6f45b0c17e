import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { publicOrigin, site } from './site';

const headers = (entries: Record<string, string>) => new Headers(entries);

describe('the public origin for redirects', () => {
  it('follows the request when SITE_URL is unset: forwarded host and protocol, else Host', () => {
    assert.equal(publicOrigin(headers({ host: '127.0.0.1:4000' }), {}), 'http://127.0.0.1:4000');
    const proxied = { host: 'internal:3000', 'x-forwarded-host': 'News.Example', 'x-forwarded-proto': 'https' };
    assert.equal(publicOrigin(headers(proxied), { TRUST_PROXY: '1' }), 'https://news.example');
    assert.equal(publicOrigin(headers({ host: '[::1]:4000' }), {}), 'http://[::1]:4000');
  });

  it('ignores forwarded host and protocol without TRUST_PROXY, since a client can write them', () => {
    const spoofed = { host: '127.0.0.1:4000', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };
    assert.equal(publicOrigin(headers(spoofed), {}), 'http://127.0.0.1:4000');
    assert.equal(publicOrigin(headers(spoofed), { TRUST_PROXY: '0' }), 'http://127.0.0.1:4000');
  });

  it('uses SITE_URL when set, whatever the request says', () => {
    const env = { SITE_URL: 'https://blog.example/' };
    assert.equal(publicOrigin(headers({ host: 'other.example', 'x-forwarded-host': 'evil.example' }), env), 'https://blog.example');
  });

  it('falls back to the configured origin for a malformed host or protocol', () => {
    const malformed: Record<string, string>[] = [{ host: 'evil.example/path' }, { host: 'a b' }, { host: 'x.example', 'x-forwarded-proto': 'javascript' }, {}];
    for (const bad of malformed) {
      assert.equal(publicOrigin(headers(bad), { TRUST_PROXY: '1' }), site.url, JSON.stringify(bad));
    }
  });
});
