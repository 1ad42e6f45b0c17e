'use client';

import { ErrorText } from '@/app/_components/form-controls';
import Link from 'next/link';
import { useActionState, useEffect, useRef } from 'react';
import { useFormStatus } from 'react-dom';
import { useHydrated } from '@/app/_components/use-hydrated';
import { useFocusOnRefusal } from '@/app/_components/use-focus-on-refusal';
import type { QuestionChoiceSummary } from '@/db/queries/articles';
import { idleState, type ActionState } from '@/app/_lib/http/action-state';
import { giveStanceAction } from '../actions';
import { useLive } from './live-store';
import { useReader } from './reader-store';
import { promptId } from '@/app/_lib/comments/view';
import { countOf } from '@/app/_lib/format';

type Props = {
  articleSlug: string;
  questionKey: string;
  choices: QuestionChoiceSummary[];
  /** The reader's current choice key, when drawn for one reader. */
  myChoice: string | null;
  signInHref: string;
  /** Closed discussion: results only. (A banned reader's page hides the form by its tokens.) */
  readOnly?: boolean;
  /** Where the form posts without JavaScript (React writes it as the action): this view of the article, at the question. */
  permalink: string;
};

function percent(part: number, total: number): number {
  return total === 0 ? 0 : Math.round((part / total) * 100);
}

/**
 * A closed question's one-tap answer and its results. A signed-in reader picks a stance and may
 * change it: with JavaScript one tap on a choice sends it; without, the choice and a submit
 * button (a plain form). The results follow the answer, so they do not steer it: they show once
 * the reader's choice is checked (theirs, drawn or written into a cached page), or behind "Show
 * results" (a <details>, no JavaScript needed); the CSS decides (app/globals.css, .poll). With
 * JavaScript they follow other readers' votes live.
 */
export function PollForm({ articleSlug, questionKey, choices, myChoice, signInHref, readOnly = false, permalink }: Props) {
  const [state, action, pending] = useActionState<ActionState, FormData>(giveStanceAction, idleState, permalink);
  const hydrated = useHydrated();
  const live = useLive().polls?.[questionKey];
  const counts = choices.map((c) => ({ ...c, voteCount: live?.[c.key] ?? c.voteCount }));
  const total = counts.reduce((sum, c) => sum + c.voteCount, 0);
  const reader = useReader();
  const drawn = reader ? (reader.stances[questionKey] ?? null) : myChoice;
  const chosen = state.status === 'ok' ? state.values?.choice : drawn;
  const error = state.status !== 'idle' && state.status !== 'ok' ? state.message : null;
  const resultsId = `poll-${questionKey}-results`;
  const chose = `${countOf(total, 'reader')} chose`;
  // A saved answer moves focus to what it unlocked, the results (the tapped choice is disabled
  // while it is sent, which would otherwise leave focus on <body>).
  const results = useRef<HTMLUListElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnRefusal(formRef, state);
  useEffect(() => {
    if (state.status === 'ok') results.current?.focus();
  }, [state]);

  return (
    <div className={`poll${readOnly ? ' poll--closed' : ''}`}>
      {readOnly ? null : (
        <p className="c c-poll-signin">
          <Link href={signInHref}>Sign in to give your answer</Link>
        </p>
      )}
      {readOnly ? null : (
        <form ref={formRef} action={action} className="poll__form c c-poll">
          <input type="hidden" name="articleSlug" value={articleSlug} />
          <input type="hidden" name="questionKey" value={questionKey} />
          <input type="hidden" name="_js" value={hydrated ? '1' : ''} />
          {/* Named by the question drawn above it, not a copy of its text: the form is in every
              reader's HTML (hidden from those who may not answer), the question once. */}
          <fieldset aria-labelledby={promptId(questionKey)} aria-describedby={`${resultsId}-total`}>
            <div className="poll__choices">
              {choices.map((choice) => (
                <label key={choice.key} className="poll__choice">
                  <input
                    data-choice={`${questionKey}:${choice.key}`}
                    type="radio"
                    name="choice"
                    value={choice.key}
                    defaultChecked={chosen === choice.key}
                    required
                    disabled={pending}
                    // One tap answers (and a tap on another choice changes the answer).
                    onChange={(event) => event.currentTarget.form?.requestSubmit()}
                  />
                  {choice.label}
                </label>
              ))}
            </div>
          </fieldset>
          {/* Without JavaScript the choice is sent with this button; with it, by the tap. */}
          <StanceButton changing={Boolean(chosen)} questionKey={questionKey} hidden={hydrated} />
          <p className="form-message" role="status">
            {state.status === 'ok' ? 'Your answer is saved.' : pending ? 'Saving your answer…' : ''}
          </p>
          <ErrorText message={error} />
        </form>
      )}
      {readOnly ? null : (
        <details className="poll__peek">
          <summary>
            <span className="poll__peek-show">Show results</span>
            <span className="poll__peek-hide">Hide results</span>
          </summary>
        </details>
      )}
      <div className="poll__outcome">
        <ul ref={results} tabIndex={-1} className="poll__results" id={resultsId} aria-label={`Results: ${chose}`}>
          {counts.map((choice) => (
            <li key={choice.key} className="poll__result">
              <span className="poll__label">
                {choice.label}
                {/* On every choice, so reader-page.ts can show it on a cached page's copy. */}
                <span data-mine={`${questionKey}:${choice.key}`} className="poll__mine" hidden={chosen !== choice.key}>
                  {' '}
                  (your answer)
                </span>
              </span>
              <span className="poll__figure">
                {percent(choice.voteCount, total)}% · {choice.voteCount}
              </span>
              <span className="poll__bar" aria-hidden="true">
                <span style={{ width: `${percent(choice.voteCount, total)}%` }} />
              </span>
            </li>
          ))}
        </ul>
        <p className="poll__total" id={`${resultsId}-total`}>
          {chose}.
        </p>
      </div>
    </div>
  );
}

/**
 * `data-stance` marks the label reader-page.ts changes on a cached page for a reader who
 * answered; hydration is told to keep that text, and the reader's state then draws the same.
 */
function StanceButton({ changing, questionKey, hidden }: { changing: boolean; questionKey: string; hidden: boolean }) {
  const { pending } = useFormStatus();
  return (
    <button data-stance={questionKey} type="submit" className="button" disabled={pending} hidden={hidden} suppressHydrationWarning>
      {pending ? 'Saving…' : changing ? 'Change my answer' : 'Give my answer'}
    </button>
  );
}
