import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseFeed } from '@rowanmanning/feed-parser';
import { closeDb, getDb } from '@/db/index';
import { banUser } from '@/db/queries/moderation';
import { createPasswordUser, type UserSummary } from '@/db/queries/users';
import { seedArticles } from '@/db/seed';
import { createTemporaryDatabase } from '@/db/test-db';
import { articleCache } from '../comments/article-cache';
import { postComment } from '../comments/service';
import { COMMENTS_FEED_SIZE, commentsFeedXml, siteFeedXml } from './atom';

// Outside a Next server there is no cache to refresh.
articleCache.revalidate = () => {};
articleCache.revalidateAll = () => {};
process.env.COMMENT_RATE_LIMIT_DISABLED = '1';
const temp = createTemporaryDatabase();
const SLUG = 'xiaomi-q2-2017-smartphone-shipments';
let ada: UserSummary;
let banned: UserSummary;

before(() => {
  seedArticles(getDb());
  ada = createPasswordUser({ name: 'Ada <b>&</b> ]]>', email: 'ada@example.com', passwordHash: 'x' });
  banned = createPasswordUser({ name: 'Banned Bo', email: 'bo@example.com', passwordHash: 'x' });
});
after(() => {
  closeDb();
  temp.cleanup();
});

async function post(author: UserSummary, body: string): Promise<number> {
  const result = await postComment(author, SLUG, { body });
  assert.ok(result.ok, JSON.stringify(result));
  return result.value.id;
}

const setStatus = (id: number, status: string, reason: string | null) =>
  getDb().$client.prepare('update comments set status = ?, moderation_reason = ? where id = ?').run(status, reason, id);

const entryIds = (xml: string) => parseFeed(xml).items.map((item) => Number(/#comment-(\d+)$/.exec(item.url ?? '')?.[1]));

describe('the comments feed', () => {
  it('lists only comments shown to everyone: never held, hidden, rejected, deleted or hidden by a ban', async () => {
    const shown = await post(ada, 'Shown to everyone');
    const held = await post(ada, 'Held for review');
    setStatus(held, 'pending', 'links');
    const reported = await post(ada, 'Hidden by reports');
    setStatus(reported, 'hidden', 'reports');
    const rejected = await post(ada, 'Rejected by a moderator');
    setStatus(rejected, 'hidden', 'Hidden from the article page');
    const deleted = await post(ada, 'Deleted by its author');
    setStatus(deleted, 'deleted', null);
    const byBanned = await post(banned, 'Written before the ban');
    banUser(banned.id, { until: null, reason: 'spam', hideComments: true }, { actorId: ada.id, action: 'ban', targetType: 'user', targetId: banned.id });

    const xml = commentsFeedXml(SLUG)!;
    const ids = entryIds(xml);
    assert.deepEqual(ids, [shown]);
    for (const id of [held, reported, rejected, deleted, byBanned]) assert.ok(!ids.includes(id), `comment ${id}`);
    assert.ok(!xml.includes('Banned Bo'), 'nothing of the banned reader');
  });

  it('gives each entry its author, time, permalink and the sanitized HTML the page shows', async () => {
    const id = await post(ada, 'Some **bold** words <script>alert(1)</script> and ]]> \u0001\u001F\uFFFE');
    const item = parseFeed(commentsFeedXml(SLUG)!).items[0]!;
    assert.equal(item.url, `http://localhost:${process.env.PORT ?? 3000}/articles/${SLUG}?comment=${id}#comment-${id}`);
    assert.deepEqual(item.authors.map((a) => a.name), ['Ada <b>&</b> ]]>']);
    // The title is HTML-escaped text: a reader shows the name and the words as written.
    assert.equal(item.title, 'Ada <b>&</b> ]]>: Some bold words <script>alert(1)</script> and ]]>');
    // The element's own text (the parser's `content` decodes entities once more, which would
    // turn the escaped <script> back into markup).
    const html = item.element.findElementWithName('content')?.textContent;
    const stored = getDb().$client.prepare('select body_html from comments where id = ?').pluck().get(id) as string;
    assert.equal(html, stored.replace(/[\u0001\u001F\uFFFE]/g, ''));
    assert.match(html ?? '', /<strong>bold<\/strong> words &lt;script&gt;alert\(1\)&lt;\/script&gt; and \]\]&gt;/);
    assert.ok(item.published && Math.abs(item.published.getTime() - Date.now()) < 5_000);
  });

  it(`holds the newest ${COMMENTS_FEED_SIZE}, newest first`, async () => {
    const ids: number[] = [];
    for (let i = 0; i < COMMENTS_FEED_SIZE + 3; i += 1) ids.push(await post(ada, `Comment number ${i}`));
    assert.deepEqual(entryIds(commentsFeedXml(SLUG)!), ids.slice(-COMMENTS_FEED_SIZE).reverse());
  });

  it('is null for an unknown article', () => {
    assert.equal(commentsFeedXml('no-such-article'), null);
  });
});

describe('the site feed', () => {
  it('lists the article with its title, summary and address', () => {
    const feed = parseFeed(siteFeedXml());
    assert.equal(feed.items.length, 1);
    assert.match(feed.items[0]!.title ?? '', /^Xiaomi Ships 23.16 Million Smartphones/);
    assert.match(feed.items[0]!.url ?? '', new RegExp(`/articles/${SLUG}$`));
    assert.ok(feed.items[0]!.description);
  });
});
