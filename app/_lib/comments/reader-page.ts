import 'server-only';
import { escapeUTF8 as escape } from 'entities';
import type { ArticlePage } from '@/db/queries/articles';
import { ACCOUNT_NAV_OPEN, accountNavHtml, discussionWhoHtml } from '../content/reader-html';
import { discussionTokens, tokenAttributes } from '../permissions';
import { readerState, type ReaderLayer } from './reader-layer';

/*
 * A signed-in reader's article page, made from the page cached for everyone: the reader's
 * layer (reader-layer.ts) written into its HTML, where React would have drawn it had the page
 * been rendered for them (article-page.tsx and its components mark each place). The result is
 * what a render for this reader gives, without one: the HTML works without JavaScript, and
 * hydration keeps it (the header and "commenting as" are dangerouslySetInnerHTML, attributes
 * are not compared, the stance button's text is suppressHydrationWarning), then the reader's
 * state, written as JSON, draws the same through React.
 *
 * Searching a 370 KB page with regular expressions for every reader cost about 11 ms, more than
 * the rest of the request. So each cached page is read once, into its UTF-8 bytes and the byte
 * offsets of every place a reader can change (a PageTemplate); a reader's page is then those
 * bytes cut at their few places with their text between: views of one buffer, not even copied
 * (joining them into one buffer for the response cost more than the rest of this).
 */

/** Where a reader's text replaces bytes [at, end) of the page (end === at: inserted). */
type Place = { at: number; end: number };
type Edit = Place & { text: string };

type PageTemplate = {
  bytes: Buffer;
  nav: Place | null;
  who: Place | null;
  tokens: Place | null;
  /** Just before '</head>', where the reader's state goes. */
  head: Place | null;
  /** Just after `<article id="comment-N"` (or pick-N): where data-own / data-reported go. */
  comments: Map<number, Place[]>;
  /** The up-vote control's state, by comment id, and which of the two controls it is. */
  votes: Map<number, (Place & { button: boolean })[]>;
  /** By "question:choice": the radio (where checked goes) and "(your answer)" (its hidden attribute). */
  choices: Map<string, Place[]>;
  mine: Map<string, Place[]>;
  /** By question: the text "Give my answer" on its submit button. */
  stanceButtons: Map<string, Place[]>;
};

const attributes = (tokens: ReturnType<typeof discussionTokens>) =>
  Object.entries(tokenAttributes(tokens))
    .map(([name, value]) => `${name}="${escape(value)}"`)
    .join(' ');

/** The inside of the first element that starts with `open` and ends with `close`. */
function inner(text: string, open: string, close: string): Place | null {
  const start = text.indexOf(open);
  if (start < 0) return null;
  const at = start + open.length;
  const end = text.indexOf(close, at);
  return end < 0 ? null : { at, end };
}

function add<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const COMMENT = /<article id="(?:comment|pick)-(\d+)"/g;
const VOTE = /data-vote="(\d+)" (aria-pressed="false" title="Up-vote"|type="hidden" name="vote" value="up")/g;
const CHOICE = /data-choice="([^"]*)"(?= type="radio")/g;
const MINE = /data-mine="([^"]*)" class="poll__mine"( hidden="")/g;
const STANCE = /data-stance="([^"]*)" type="submit" class="button">(Give my answer)</g;

/**
 * Reads a cached page once. The bytes are searched as Latin-1 text, one character per byte, so
 * every offset found is a byte offset: the places are all ASCII, and no byte of a multi-byte
 * UTF-8 character is ASCII, so nothing else can match.
 */
function readTemplate(html: string, article: ArticlePage): PageTemplate {
  const bytes = Buffer.from(html, 'utf8');
  const text = bytes.toString('latin1');
  const signedOut = attributes(discussionTokens(null, article));
  const tokensAt = text.indexOf(signedOut);
  const headAt = text.indexOf('</head>');
  const template: PageTemplate = {
    bytes,
    nav: inner(text, ACCOUNT_NAV_OPEN, '</nav>'),
    who: inner(text, '<div id="discussion-who">', '</div>'),
    tokens: tokensAt < 0 ? null : { at: tokensAt, end: tokensAt + signedOut.length },
    head: headAt < 0 ? null : { at: headAt, end: headAt },
    comments: new Map(),
    votes: new Map(),
    choices: new Map(),
    mine: new Map(),
    stanceButtons: new Map(),
  };
  for (const m of text.matchAll(COMMENT)) {
    const end = m.index + m[0].length;
    add(template.comments, Number(m[1]), { at: end, end });
  }
  for (const m of text.matchAll(VOTE)) {
    const at = m.index + m[0].length - m[2]!.length;
    add(template.votes, Number(m[1]), { at, end: at + m[2]!.length, button: m[2]!.startsWith('aria') });
  }
  for (const m of text.matchAll(CHOICE)) {
    const end = m.index + m[0].length;
    add(template.choices, m[1]!, { at: end, end });
  }
  for (const m of text.matchAll(MINE)) {
    const end = m.index + m[0].length;
    add(template.mine, m[1]!, { at: end - m[2]!.length, end });
  }
  for (const m of text.matchAll(STANCE)) {
    const end = m.index + m[0].length - 1;
    add(template.stanceButtons, m[1]!, { at: end - m[2]!.length, end });
  }
  return template;
}

/** Templates by the cached page they were read from: dropped with the page. */
const templates = new WeakMap<object, PageTemplate>();

function templateOf(page: { html: string }, article: ArticlePage): PageTemplate {
  let template = templates.get(page);
  if (!template) templates.set(page, (template = readTemplate(page.html, article)));
  return template;
}

/** A key as it is written in the page, in the Latin-1 reading of its bytes that the template's maps use. */
const asWritten = (key: string) => Buffer.from(escape(key), 'utf8').toString('latin1');

/**
 * The cached page `page` as this reader's: UTF-8 bytes in order, to be sent one after another.
 * `page` is the object the cache holds (app/_lib/http/shared-pages.mjs): what is read from its
 * HTML is kept with it. The parts are views of that page's bytes: never write into them.
 */
export function composeReaderPage(page: { html: string }, layer: ReaderLayer, article: ArticlePage): Uint8Array[] {
  const template = templateOf(page, article);
  const { viewer } = layer;
  const edits: Edit[] = [];
  const edit = (place: Place | null | undefined, text: string) => {
    if (place) edits.push({ ...place, text });
  };
  edit(template.nav, accountNavHtml(viewer));
  edit(template.who, discussionWhoHtml(viewer, article));
  edit(template.tokens, attributes(layer.tokens));

  const own = new Set(layer.ownIds);
  const reported = new Set(layer.reportedIds);
  for (const id of new Set([...own, ...reported])) {
    const marks = `${own.has(id) ? ' data-own=""' : ''}${reported.has(id) ? ' data-reported=""' : ''}`;
    for (const place of template.comments.get(id) ?? []) edit(place, marks);
  }
  for (const id of new Set(layer.votedIds)) {
    for (const place of template.votes.get(id) ?? []) {
      edit(place, place.button ? 'aria-pressed="true" title="Take back your up-vote"' : 'type="hidden" name="vote" value="none"');
    }
  }
  for (const [question, choice] of Object.entries(layer.stances)) {
    const mark = asWritten(`${question}:${choice}`);
    for (const place of template.choices.get(mark) ?? []) edit(place, ' checked=""');
    for (const place of template.mine.get(mark) ?? []) edit(place, '');
    for (const place of template.stanceButtons.get(asWritten(question)) ?? []) edit(place, 'Change my answer');
  }
  // Data, not a script: no policy is needed for it, and "<" cannot end it early.
  const state = JSON.stringify(readerState(layer)).replace(/</g, '\\u003c');
  edit(template.head, `<script type="application/json" id="reader-state">${state}</script>`);

  edits.sort((a, b) => a.at - b.at || a.end - b.end);
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const { at, end, text } of edits) {
    if (at < from) continue; // places never overlap (each is its own match); a guard, not a case
    parts.push(template.bytes.subarray(from, at), Buffer.from(text, 'utf8'));
    from = end;
  }
  parts.push(template.bytes.subarray(from));
  return parts;
}
