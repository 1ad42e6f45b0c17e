import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ANY_CLIENT, clientIp, trustedProxyHops } from './client-ip';

const forwarded = (value: string) => new Headers({ 'x-forwarded-for': value });

describe('the client address for per-IP limits', () => {
  it('trusts no header by default: every client shares one bucket, whatever it claims', () => {
    assert.equal(trustedProxyHops(undefined), 0);
    assert.equal(clientIp(forwarded('198.51.100.1'), 0), ANY_CLIENT);
    assert.equal(clientIp(forwarded('198.51.100.2'), 0), ANY_CLIENT);
  });

  it('behind N proxies, takes the entry the Nth proxy from the origin appended', () => {
    assert.equal(clientIp(forwarded('10.0.0.9, 203.0.113.7'), 1), '203.0.113.7');
    assert.equal(clientIp(forwarded('10.0.0.9, 203.0.113.7, 192.0.2.1'), 2), '203.0.113.7');
    // Fewer entries than proxies: it did not come through them all, so it gets no address of its own.
    assert.equal(clientIp(forwarded('203.0.113.7'), 2), ANY_CLIENT);
    assert.equal(clientIp(new Headers(), 1), ANY_CLIENT);
  });

  it('refuses a TRUST_PROXY that is not a number of hops', () => {
    assert.equal(trustedProxyHops(' 2 '), 2);
    for (const bad of ['yes', 'true', '-1', '1.5', '1,2', 'loopback']) {
      assert.throws(() => trustedProxyHops(bad), /^ConfigError: TRUST_PROXY=".*" is not accepted: it must be the number of proxies in front of the server, a whole number from 0 to 99\.$/, bad);
    }
  });
});
