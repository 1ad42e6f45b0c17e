import 'server-only';
import { escapeUTF8 as escape } from 'entities';
import type { ArticlePage } from '@/db/queries/articles';
import { accountNavHtml, discussionWhoHtml } from '../content/reader-html';
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
 */

const attributes = (tokens: ReturnType<typeof discussionTokens>) =>
  Object.entries(tokenAttributes(tokens))
    .map(([name, value]) => `${name}="${escape(value)}"`)
    .join(' ');

/** Replaces the inside of the first element that starts with `open` and ends with `close`. */
function replaceInner(html: string, open: string, close: string, inner: string): string {
  const start = html.indexOf(open);
  if (start < 0) return html;
  const from = start + open.length;
  const end = html.indexOf(close, from);
  return end < 0 ? html : html.slice(0, from) + inner + html.slice(end);
}

export function composeReaderPage(html: string, layer: ReaderLayer, article: ArticlePage): string {
  const { viewer } = layer;
  let out = replaceInner(html, '<nav aria-label="Account" class="account-nav">', '</nav>', accountNavHtml(viewer));
  out = replaceInner(out, '<div id="discussion-who">', '</div>', discussionWhoHtml(viewer, article));
  out = out.replace(attributes(discussionTokens(null, article)), () => attributes(layer.tokens));

  const own = new Set(layer.ownIds);
  const reported = new Set(layer.reportedIds);
  const voted = new Set(layer.votedIds);
  if (own.size || reported.size || voted.size) {
    out = out.replace(
      /<article id="(?:comment|pick)-(\d+)"|data-vote="(\d+)" (aria-pressed="false" title="Up-vote"|type="hidden" name="vote" value="up")/g,
      (match, commentId: string | undefined, voteId: string | undefined, control: string | undefined) => {
        if (commentId) {
          const id = Number(commentId);
          return `${match}${own.has(id) ? ' data-own=""' : ''}${reported.has(id) ? ' data-reported=""' : ''}`;
        }
        if (!voted.has(Number(voteId))) return match;
        return control!.startsWith('aria')
          ? `data-vote="${voteId}" aria-pressed="true" title="Take back your up-vote"`
          : `data-vote="${voteId}" type="hidden" name="vote" value="none"`;
      },
    );
  }
  for (const [question, choice] of Object.entries(layer.stances)) {
    const mark = escape(`${question}:${choice}`);
    out = out
      .replace(`data-choice="${mark}" type="radio"`, `data-choice="${mark}" checked="" type="radio"`)
      .replace(`data-mine="${mark}" class="poll__mine" hidden=""`, `data-mine="${mark}" class="poll__mine"`)
      .replace(`data-stance="${escape(question)}" type="submit" class="button">Give my answer<`, `data-stance="${escape(question)}" type="submit" class="button">Change my answer<`);
  }
  // Data, not a script: no policy is needed for it, and "<" cannot end it early.
  const state = JSON.stringify(readerState(layer)).replace(/</g, '\\u003c');
  const at = out.indexOf('</head>');
  return at < 0 ? out : `${out.slice(0, at)}<script type="application/json" id="reader-state">${state}</script>${out.slice(at)}`;
}
