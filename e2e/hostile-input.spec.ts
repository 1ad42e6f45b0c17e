import { ARTICLE_PATH, expect, signUpAs, test } from './fixtures';

/*
 * Hostile and malformed requests to the JSON doors: each gets a 4xx with a JSON message, the
 * server stays up, and nothing is stored.
 */
const COMMENTS = '/api/articles/xiaomi-q2-2017-smartphone-shipments/comments';
const STANCE = '/api/articles/xiaomi-q2-2017-smartphone-shipments/questions/targets/stance';

test('malformed comment and stance requests are refused with 4xx and store nothing', async ({ page }) => {
  await signUpAs(page);
  const count = async () => (await (await page.request.get(COMMENTS)).json()).article.commentCount as number;
  const before = await count();

  const cases: { name: string; path: string; data?: unknown; body?: Buffer; contentType?: string; status: number }[] = [
    { name: 'body is a number', path: COMMENTS, data: { body: 123 }, status: 422 },
    { name: 'body is an array', path: COMMENTS, data: { body: ['x'] }, status: 422 },
    { name: 'no body field', path: COMMENTS, data: {}, status: 422 },
    { name: 'JSON is an array', path: COMMENTS, data: [1, 2, 3], status: 422 },
    { name: 'JSON is null', path: COMMENTS, body: Buffer.from('null'), contentType: 'application/json', status: 422 },
    { name: 'not JSON at all', path: COMMENTS, body: Buffer.from('{"body": '), contentType: 'application/json', status: 400 },
    { name: 'not sent as JSON', path: COMMENTS, body: Buffer.from('body=hi'), contentType: 'application/x-www-form-urlencoded', status: 415 },
    { name: 'a 1 MB body', path: COMMENTS, data: { body: 'x'.repeat(1024 * 1024) }, status: 413 },
    { name: 'invalid UTF-8', path: COMMENTS, body: Buffer.from([0x7b, 0x22, 0x62, 0x6f, 0x64, 0x79, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), contentType: 'application/json', status: 400 },
    { name: 'a null byte', path: COMMENTS, data: { body: 'null\u0000byte' }, status: 422 },
    { name: 'an unknown parent', path: COMMENTS, data: { body: 'Reply', parentId: 987654321 }, status: 404 },
    { name: 'a parent id that is not a number', path: COMMENTS, data: { body: 'Reply', parentId: 'one' }, status: 422 },
    { name: 'an unknown question', path: COMMENTS, data: { body: 'Answer', questionKey: 'no-such-question' }, status: 404 },
    { name: 'a huge id', path: COMMENTS, data: { body: 'Reply', parentId: 1e30 }, status: 422 },
    { name: 'an unknown article', path: '/api/articles/no-such-article/comments', data: { body: 'Hi' }, status: 404 },
    { name: 'a stance with no choice', path: STANCE, data: {}, status: 422 },
    { name: 'a stance with an unknown choice', path: STANCE, data: { choice: 'maybe' }, status: 422 },
    { name: 'a stance with an object for a choice', path: STANCE, data: { choice: { $ne: 1 } }, status: 422 },
  ];
  for (const c of cases) {
    const response = c.body
      ? await page.request.post(c.path, { data: c.body, headers: { 'content-type': c.contentType ?? 'application/json' } })
      : await page.request.post(c.path, { data: c.data });
    expect(response.status(), c.name).toBe(c.status);
    const json = await response.json();
    expect(typeof json.error?.message, c.name).toBe('string');
  }

  expect(await count()).toBe(before);
  expect((await page.request.get(ARTICLE_PATH)).status()).toBe(200);
});

test('malformed reads are refused too', async ({ request }) => {
  expect((await request.get(`${COMMENTS}?since=abc`)).status()).toBe(400);
  expect((await request.get(`${COMMENTS}?since=-5`)).status()).toBe(400);
  expect((await request.get('/api/articles/no-such-article/comments')).status()).toBe(404);
  const odd = await request.get(`${COMMENTS}?sort=%00&after=%FF%FE&comment=1e99`);
  expect(odd.status()).toBe(200);
  expect((await request.get(`${ARTICLE_PATH}?sort=%00&after=../../etc&comment=-1&question=%3Cscript%3E`)).status()).toBe(200);
});

test('the benchmark’s routes do not exist outside the benchmark’s server', async ({ page }) => {
  await signUpAs(page);
  const floor = await page.request.post('/bench/post-floor', { data: { body: 'hello' } });
  expect(floor.status()).toBe(404);
  expect((await page.request.get('/bench/baseline')).status()).toBe(404);
  expect((await page.request.get('/bench/floor')).status()).toBe(404);
});
