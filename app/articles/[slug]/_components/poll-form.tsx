'use client';

import { ErrorText } from '@/app/_components/form-controls';
import Link from 'next/link';
import { useActionState } from 'react';
import { useFormStatus } from 'react-dom';
import { useHydrated } from '@/app/_components/use-hydrated';
import type { QuestionChoiceSummary } from '@/db/queries/articles';
import { idleState, type ActionState } from '@/app/_lib/http/action-state';
import { giveStanceAction } from '../actions';
import { useLive } from './live-store';

type Props = {
  articleSlug: string;
  questionKey: string;
  prompt: string;
  choices: QuestionChoiceSummary[];
  /** The reader's current choice key; undefined when signed out. */
  myChoice: string | null | undefined;
  signInHref: string;
  /** Closed discussion or banned reader: results only. */
  readOnly?: boolean;
  /** Where the form posts without JavaScript (React writes it as the action): this view of the article, at the question. */
  permalink: string;
};

function percent(part: number, total: number): number {
  return total === 0 ? 0 : Math.round((part / total) * 100);
}

/**
 * A closed question's one-click answer and its results. Everyone sees the results; a signed-in
 * reader picks a stance (a plain form, so it works without JavaScript) and may change it. With
 * JavaScript the results follow other readers' votes live.
 */
export function PollForm({ articleSlug, questionKey, prompt, choices, myChoice, signInHref, readOnly = false, permalink }: Props) {
  const [state, action] = useActionState<ActionState, FormData>(giveStanceAction, idleState, permalink);
  const hydrated = useHydrated();
  const live = useLive().polls?.[questionKey];
  const counts = choices.map((c) => ({ ...c, voteCount: live?.[c.key] ?? c.voteCount }));
  const total = counts.reduce((sum, c) => sum + c.voteCount, 0);
  const chosen = state.status === 'ok' ? state.values?.choice : myChoice;
  const error = state.status !== 'idle' && state.status !== 'ok' ? state.message : null;
  const resultsId = `poll-${questionKey}-results`;

  return (
    <div className="poll">
      <ul className="poll__results" id={resultsId} aria-label={`Results: ${total} ${total === 1 ? 'answer' : 'answers'}`}>
        {counts.map((choice) => (
          <li key={choice.key} className="poll__result">
            <span className="poll__label">
              {choice.label}
              {chosen === choice.key ? <span className="poll__mine"> (your answer)</span> : null}
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
      <p className="poll__total">
        {total} {total === 1 ? 'reader has' : 'readers have'} answered.
      </p>

      {readOnly ? null : myChoice === undefined ? (
        <p>
          <Link href={signInHref}>Sign in to give your answer</Link>
        </p>
      ) : (
        <form action={action} className="poll__form">
          <input type="hidden" name="articleSlug" value={articleSlug} />
          <input type="hidden" name="questionKey" value={questionKey} />
          <input type="hidden" name="_js" value={hydrated ? '1' : ''} />
          <fieldset>
            <legend className="visually-hidden">{prompt}</legend>
            <div className="poll__choices">
              {choices.map((choice) => (
                <label key={choice.key} className="poll__choice">
                  <input type="radio" name="choice" value={choice.key} defaultChecked={chosen === choice.key} required />
                  {choice.label}
                </label>
              ))}
            </div>
          </fieldset>
          <StanceButton changing={Boolean(chosen)} />
          <p className="form-message" role="status">
            {state.status === 'ok' ? 'Your answer is saved.' : ''}
          </p>
          <ErrorText message={error} />
        </form>
      )}
    </div>
  );
}

function StanceButton({ changing }: { changing: boolean }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className="button" disabled={pending}>
      {pending ? 'Saving…' : changing ? 'Change my answer' : 'Give my answer'}
    </button>
  );
}
