import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeDb, getDb } from '@/db/index';
import { getArticleBySlug, type ArticlePage } from '@/db/queries/articles';
import { createPasswordUser, type UserSummary } from '@/db/queries/users';
import { seedArticles } from '@/db/seed';
import { createTemporaryDatabase } from '@/db/test-db';
import { discussionTokens, tokenAttributes } from '../permissions';
import { accountNavHtml, discussionWhoHtml } from '../content/reader-html';
import { readerLayer, type ReaderLayer } from './reader-layer';
import { composeReaderPage } from './reader-page';
import { articleCache } from './article-cache';
import { postComment, reportComment, voteOnComment } from './service';

articleCache.revalidate = () => {};
process.env.COMMENT_RATE_LIMIT_DISABLED = '1';
const temp = createTemporaryDatabase();
const SLUG = 'xiaomi-q2-2017-smartphone-shipments';
let article: ArticlePage;
let ada: UserSummary;
let bo: UserSummary;
const ids = { ada: 0, bo: 0, bo2: 0 };

before(async () => {
  seedArticles(getDb());
  ada = createPasswordUser({ name: 'Ada </script><b>', email: 'ada@example.com', passwordHash: 'x' });
  bo = createPasswordUser({ name: 'Bo', email: 'bo@example.com', passwordHash: 'x' });
  for (const [key, who] of [['ada', ada], ['bo', bo], ['bo2', bo]] as const) {
    const posted = await postComment(who, SLUG, { body: `A comment by ${who.name} (${key})` });
    assert.ok(posted.ok);
    ids[key] = posted.value.id;
  }
  assert.ok((await voteOnComment(ada, SLUG, { commentId: String(ids.bo), vote: 'up' })).ok);
  assert.ok((await reportComment(ada, SLUG, { commentId: String(ids.bo2), reason: 'spam' })).ok);
  article = getArticleBySlug(SLUG)!;
});
after(() => {
  closeDb();
  temp.cleanup();
});

/** The places React marks in the page cached for everyone, as it writes them. */
function cachedPage(): string {
  const tokens = Object.entries(tokenAttributes(discussionTokens(null, article)))
    .map(([k, v]) => `${k}="${v}"`)
    .join(' ');
  const comment = (id: number) =>
    `<article id="comment-${id}" class="comment"><form class="vote c c-vote">` +
    `<input data-vote="${id}" type="hidden" name="vote" value="up"/>` +
    `<button data-vote="${id}" aria-pressed="false" title="Up-vote" type="submit" class="vote__button">1 vote</button></form></article>`;
  const choice = (key: string) =>
    `<label><input data-choice="targets:${key}" type="radio" required="" name="choice" value="${key}"/>${key}` +
    `<span data-mine="targets:${key}" class="poll__mine" hidden=""> (your answer)</span></label>`;
  // Text outside ASCII before every place: the page is cut by bytes, not characters.
  return (
    `<html><head><title>Xiaomi’s shipments — ▲</title></head><body><nav aria-label="Account" class="account-nav">${accountNavHtml(null)}</nav>` +
    `<section id="discussion" class="discussion" aria-labelledby="discussion-heading" ${tokens}>` +
    `<div id="discussion-who">${discussionWhoHtml(null, article)}</div>` +
    `<form>${choice('yes')}${choice('no')}<button data-stance="targets" type="submit" class="button">Give my answer</button></form>` +
    `${comment(ids.ada)}${comment(ids.bo)}${comment(ids.bo2)}</section></body></html>`
  );
}

/** The cached page as one reader's, as the text a browser reads. */
const compose = (layer: ReaderLayer, page: ArticlePage) => Buffer.concat(composeReaderPage({ html: cachedPage() }, layer, page)).toString('utf8');

describe('a cached page made one reader’s', () => {
  it('names the reader, escaped, and gives them their own controls, votes and reports only', () => {
    const html = compose(readerLayer(ada, article), article);
    assert.match(html, /Signed in as <a class="account-nav__name" href="\/profile">Ada &lt;\/script&gt;&lt;b&gt;<\/a>/);
    assert.match(html, /Commenting as <strong>Ada &lt;\/script&gt;&lt;b&gt;<\/strong>/);
    assert.doesNotMatch(html, />Sign in</);
    assert.match(html, /data-may="[^"]*\bvote\b[^"]*" data-may-own="[^"]*\bedit\b/);
    assert.match(html, new RegExp(`<article id="comment-${ids.ada}" data-own=""`));
    assert.match(html, new RegExp(`<article id="comment-${ids.bo}" class`), 'not her comment, not reported');
    assert.match(html, new RegExp(`<article id="comment-${ids.bo2}" data-reported=""`));
    assert.match(html, new RegExp(`data-vote="${ids.bo}" aria-pressed="true" title="Take back your up-vote"`));
    assert.match(html, new RegExp(`data-vote="${ids.bo}" type="hidden" name="vote" value="none"`));
    assert.match(html, new RegExp(`data-vote="${ids.bo2}" aria-pressed="false"`));
    // The reader's state is data: a name cannot end the script element early.
    const state = /<script type="application\/json" id="reader-state">(.*?)<\/script><\/head>/.exec(html);
    assert.ok(state);
    assert.deepEqual(JSON.parse(state[1] ?? ""), { name: ada.name, votedIds: [ids.bo], stances: {} });
  });

  it('another reader gets none of the first reader’s marks', () => {
    const html = compose(readerLayer(bo, article), article);
    assert.match(html, /Signed in as <a class="account-nav__name" href="\/profile">Bo<\/a>/);
    assert.doesNotMatch(html, /Ada/);
    assert.doesNotMatch(html, /data-reported|aria-pressed="true"/);
    assert.match(html, new RegExp(`<article id="comment-${ids.bo}" data-own=""`));
    assert.match(html, new RegExp(`<article id="comment-${ids.bo2}" data-own=""`));
  });

  it('shows the reader’s poll answer as theirs, and only theirs', () => {
    const html = compose({ ...readerLayer(bo, article), stances: { targets: 'no' } }, article);
    assert.match(html, /<title>Xiaomi’s shipments — ▲<\/title>/);
    assert.match(html, /data-choice="targets:no" checked="" type="radio"/);
    assert.match(html, /data-choice="targets:yes" type="radio"/);
    assert.match(html, /data-mine="targets:no" class="poll__mine"> \(your answer\)/);
    assert.match(html, /data-mine="targets:yes" class="poll__mine" hidden="">/);
    assert.match(html, />Change my answer<\/button>/);
    assert.doesNotMatch(compose(readerLayer(ada, article), article), /checked=""|Change my answer/);
  });

  it('a banned reader is told so and may not post', () => {
    const banned = { ...bo, ban: { until: null, reason: 'Spam' } };
    const html = compose(readerLayer(banned, article), article);
    assert.match(html, /You are banned from the discussion until a moderator lifts it\. Reason: Spam/);
    assert.match(html, /data-may="" data-may-own="" data-may-own-held="" data-sign-in=""/);
  });
});
