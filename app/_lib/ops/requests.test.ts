import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoopback, requestIdFrom } from './requests';

test('a well-formed incoming request id is kept; anything else is replaced by a new one', () => {
  assert.equal(requestIdFrom('abc-123_DEF.4:5'), 'abc-123_DEF.4:5');
  for (const bad of [undefined, '', 'a'.repeat(129), 'has space', 'new\nline', '<script>', ['a', 'b']]) {
    const id = requestIdFrom(bad as string | string[] | undefined);
    assert.notEqual(id, bad);
    assert.match(id, /^[0-9a-f-]{36}$/);
  }
});

test('loopback addresses, in both families and mapped', () => {
  for (const yes of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) assert.ok(isLoopback(yes), yes);
  for (const no of [undefined, '', '10.0.0.1', '::ffff:192.168.1.2', '2001:db8::1', '128.0.0.1']) assert.ok(!isLoopback(no), String(no));
});
