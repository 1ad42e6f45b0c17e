import type { ReactNode } from 'react';
import Link from 'next/link';
import type { ArticlePage } from '@/db/queries/articles';
import type { ReaderLayer } from '@/app/_lib/comments/reader-layer';
import type { DiscussionData } from '@/app/_lib/comments/discussion';
import { articleViewHref, promptId } from '@/app/_lib/comments/view';
import { markdownToText } from '@/app/_lib/content/markdown';
import { countOf, formatCount } from '@/app/_lib/format';
import { denial } from '@/app/_lib/permissions';
import { PollForm } from './poll-form';

function excerpt(markdown: string, max = 140): string {
  const text = markdownToText(markdown).replace(/\s+/g, ' ');
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 60 ? cut.lastIndexOf(' ') : max)}…`;
}

/**
 * The questions the article asks, as the opening of the discussion and its summary: each with
 * its answer count, an "Answer" action, the poll and its results where it is a closed question,
 * and the most up-voted answer so far.
 */
export function QuestionPrompts({ article, data, layer }: { article: ArticlePage; data: DiscussionData; layer: ReaderLayer }) {
  if (article.questions.length === 0) return null;
  // Whether a reader sees "Answer" and the poll's form is the tokens' to say (app/globals.css);
  // only a closed discussion, the same for everyone, leaves them out of the HTML.
  const closed = denial(null, 'answerPoll', { article }) === 'closed';
  return (
    <div className="prompts">
      <h3 className="prompts__heading" id="prompts-heading">
        The article asks
      </h3>
      <ol className="prompts__list" aria-labelledby="prompts-heading">
        {article.questions.map((question, index) => {
          const top = data.topAnswers.get(question.id);
          const topLabel = top && top.score > 0 ? 'Most up-voted answer' : 'First answer';
          const answerHref = articleViewHref(article.slug, { sort: data.view.sort, question: question.key }, '#comment-form');
          return (
            <li key={question.key} id={`question-${question.key}`} className="prompt">
              <p id={promptId(question.key)} className="prompt__text">
                {question.prompt}
              </p>
              <p className="prompt__meta">
                <Link href={articleViewHref(article.slug, { question: question.key }, '#discussion-comments')}>
                  {countOf(question.answerCount, 'written answer')}
                </Link>
                {closed ? null : (
                  <Link className="button button--small c c-answer" href={answerHref} aria-label={`Answer: ${question.prompt}`}>
                    Answer
                  </Link>
                )}
              </p>
              <Fold when={index > 0 && (question.kind === 'poll' || top !== undefined)} label={question.kind !== 'poll' ? topLabel : top ? `Poll and ${topLabel.toLowerCase()}` : 'Poll'}>
                {question.kind === 'poll' ? (
                  <PollForm
                    articleSlug={article.slug}
                    questionKey={question.key}
                    choices={question.choices}
                    myChoice={layer.stances[question.key] ?? null}
                    readOnly={closed}
                    signInHref={`/signin?callbackUrl=${encodeURIComponent(`/articles/${article.slug}#question-${question.key}`)}`}
                    permalink={articleViewHref(article.slug, data.view, `#question-${question.key}`)}
                  />
                ) : null}
                {top ? (
                  <p className="prompt__top">
                    <span className="prompt__top-label">{topLabel}</span>{' '}
                    <a href={articleViewHref(article.slug, { comment: top.id }, `#comment-${top.id}`)}>
                      “{excerpt(top.markdown)}”
                    </a>{' '}
                    <span className="prompt__top-by">
                      {top.authorName}, {top.score} {top.score === 1 ? 'vote' : 'votes'}
                    </span>
                  </p>
                ) : null}
              </Fold>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/**
 * A card's poll and top answer, folded behind a summary after the first card, so on a phone the
 * comment box is about a screen from the discussion's start. On wide screens the CSS shows the
 * content and hides the summary (app/globals.css, .prompt__more): nothing is folded there.
 */
function Fold({ when, label, children }: { when: boolean; label: string; children: ReactNode }) {
  if (!when) return children;
  return (
    <details className="prompt__more">
      <summary>{label}</summary>
      {children}
    </details>
  );
}

/** "All" and one tab per question, with counts. The choice lives in the address (?question=). */
export function QuestionTabs({ article, data }: { article: ArticlePage; data: DiscussionData }) {
  if (article.questions.length === 0) return null;
  const tabs = [
    { key: null, label: 'All', count: article.commentCount },
    ...article.questions.map((q) => ({ key: q.key, label: q.label, count: q.answerCount })),
  ];
  return (
    <nav aria-label="Filter by question" className="tabs">
      <ul>
        {tabs.map((tab) => (
          <li key={tab.key ?? 'all'}>
            <Link
              href={articleViewHref(article.slug, { sort: data.view.sort, question: tab.key }, '#discussion-comments')}
              aria-current={(data.question?.key ?? null) === tab.key ? 'page' : undefined}
              scroll={false}
            >
              {tab.label} <span className="tabs__count">{formatCount(tab.count)}</span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
