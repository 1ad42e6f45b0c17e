import type { ArticleQuestion } from '@/db/queries/articles';

/** The questions the article puts to its readers, as prompts at the top of the discussion. */
export function DiscussionQuestions({ questions }: { questions: ArticleQuestion[] }) {
  if (questions.length === 0) return null;
  return (
    <div className="prompts">
      <h3 className="prompts__heading" id="prompts-heading">
        The article asks
      </h3>
      <ol className="prompts__list" aria-labelledby="prompts-heading">
        {questions.map((question) => (
          <li key={question.key} id={`question-${question.key}`} className="prompt">
            <p className="prompt__text">{question.prompt}</p>
            {question.kind === 'poll' && question.choices.length > 0 ? (
              <p className="prompt__choices">
                <span className="visually-hidden">Possible answers: </span>
                {question.choices.map((choice) => (
                  <span key={choice.key} className="chip">
                    {choice.label}
                  </span>
                ))}
              </p>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
