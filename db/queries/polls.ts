import 'server-only';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { getDb, preparedQuery, type Tx } from '../index';
import { pollVotes, questionChoices, questions } from '../schema';

export type PollTarget = { questionId: number; articleId: number; kind: 'open' | 'poll'; choiceId: number | null };

/** The question and, if it belongs to it, the choice a stance names. */
export function getPollTarget(articleId: number, questionKey: string, choiceKey: string): PollTarget | null {
  const db = getDb();
  const question = db
    .select({ id: questions.id, articleId: questions.articleId, kind: questions.kind })
    .from(questions)
    .where(and(eq(questions.articleId, articleId), eq(questions.key, questionKey)))
    .get();
  if (!question) return null;
  const choice = db
    .select({ id: questionChoices.id })
    .from(questionChoices)
    .where(and(eq(questionChoices.questionId, question.id), eq(questionChoices.key, choiceKey)))
    .get();
  return { questionId: question.id, articleId: question.articleId, kind: question.kind, choiceId: choice?.id ?? null };
}

/**
 * Records a reader's stance, or moves it to another choice. One transaction keeps the per-choice
 * counts equal to the rows in poll_votes; choosing the same answer again changes nothing.
 */
export function castStance(questionId: number, userId: string, choiceId: number): { changed: boolean } {
  return getDb().transaction(
    (tx) => {
      const existing = tx
        .select({ choiceId: pollVotes.choiceId })
        .from(pollVotes)
        .where(and(eq(pollVotes.questionId, questionId), eq(pollVotes.userId, userId)))
        .get();
      if (existing?.choiceId === choiceId) return { changed: false };
      if (existing) {
        tx.update(pollVotes)
          .set({ choiceId, updatedAt: new Date() })
          .where(and(eq(pollVotes.questionId, questionId), eq(pollVotes.userId, userId)))
          .run();
        adjust(tx, existing.choiceId, -1);
      } else {
        tx.insert(pollVotes).values({ questionId, userId, choiceId }).run();
      }
      adjust(tx, choiceId, +1);
      return { changed: true };
    },
    { behavior: 'immediate' },
  );
}

function adjust(tx: Tx, choiceId: number, delta: 1 | -1): void {
  tx.update(questionChoices)
    .set({ voteCount: sql`max(${questionChoices.voteCount} + ${delta}, 0)` })
    .where(eq(questionChoices.id, choiceId))
    .run();
}

/** The choice key each of these questions has from this reader. */
// Every signed-in page load reads the reader's stances: compiled once (db/index.ts, preparedQuery).
// All of a reader's stances (a few rows), filtered here: a list of ids cannot be a placeholder.
const stancesByUser = preparedQuery((db) =>
  db
    .select({ questionId: pollVotes.questionId, key: questionChoices.key })
    .from(pollVotes)
    .innerJoin(questionChoices, eq(questionChoices.id, pollVotes.choiceId))
    .where(eq(pollVotes.userId, sql.placeholder('userId')))
    .prepare(),
);

export function stancesOf(userId: string, questionIds: number[]): Map<number, string> {
  if (questionIds.length === 0) return new Map();
  const wanted = new Set(questionIds);
  const rows = stancesByUser().all({ userId }).filter((r) => wanted.has(r.questionId));
  return new Map(rows.map((r) => [r.questionId, r.key]));
}

/** For answer badges: each author's stance on a poll question, as the choice's label. */
export function stancesOfAuthors(questionId: number, authorIds: string[]): Map<string, string> {
  if (authorIds.length === 0) return new Map();
  const rows = getDb()
    .select({ userId: pollVotes.userId, label: questionChoices.label })
    .from(pollVotes)
    .innerJoin(questionChoices, eq(questionChoices.id, pollVotes.choiceId))
    .where(and(eq(pollVotes.questionId, questionId), inArray(pollVotes.userId, [...new Set(authorIds)])))
    .all();
  return new Map(rows.map((r) => [r.userId, r.label]));
}
