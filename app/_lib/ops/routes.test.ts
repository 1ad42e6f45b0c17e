import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRoutes, routeOf } from './routes';

const routes = compileRoutes([
  '/',
  '/_not-found',
  '/articles/[slug]',
  '/articles/[slug]/signed-in',
  '/articles/[slug]/view/[view]',
  '/articles/[slug]/comments/[id]/[action]',
  '/api/auth/[...nextauth]',
  '/api/health',
  '/docs/[[...rest]]',
  '/articles/feed',
]);

test('a path is labelled by its route pattern, never by its own text', () => {
  assert.equal(routeOf(routes, '/', 200), '/');
  assert.equal(routeOf(routes, '/articles/xiaomi-q2', 200), '/articles/[slug]');
  assert.equal(routeOf(routes, '/articles/xiaomi-q2/', 200), '/articles/[slug]');
  assert.equal(routeOf(routes, '/articles/any/signed-in', 200), '/articles/[slug]/signed-in');
  assert.equal(routeOf(routes, '/articles/a/view/sort-new', 200), '/articles/[slug]/view/[view]');
  assert.equal(routeOf(routes, '/articles/a/comments/12/edit', 200), '/articles/[slug]/comments/[id]/[action]');
  assert.equal(routeOf(routes, '/api/auth/callback/oidc', 302), '/api/auth/[...nextauth]');
  assert.equal(routeOf(routes, '/docs', 200), '/docs/[[...rest]]');
  assert.equal(routeOf(routes, '/docs/a/b', 200), '/docs/[[...rest]]');
});

test('a static segment wins over a dynamic one', () => {
  assert.equal(routeOf(routes, '/articles/feed', 200), '/articles/feed');
});

test('Next internals, files and unknown paths share a few fixed labels', () => {
  assert.equal(routeOf(routes, '/_next/static/chunks/abc.js', 200), '/_next/static');
  assert.equal(routeOf(routes, '/_next/image', 200), '/_next');
  assert.equal(routeOf(routes, '/favicon.ico', 200), 'static-file');
  assert.equal(routeOf(routes, '/no/such/page', 404), 'not-found');
  assert.equal(routeOf(routes, '/_not-found', 404), 'not-found');
});
