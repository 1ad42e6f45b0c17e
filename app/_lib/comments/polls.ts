import 'server-only';
import { getArticleRef } from '@/db/queries/articles';
import { castStance, getPollTarget } from '@/db/queries/polls';
import type { UserSummary } from '@/db/queries/users';
import { refuse, type Result } from '../http/errors';
import { stanceSchema } from './validation';
import { articleCache } from './article-cache';
import { check } from '../permissions';
import { throttle } from '../moderation/flood-control';

/**
 * A reader's one-click answer to a closed question ("Will the company achieve its current
 * targets?"). One stance per reader per question, changeable; the same rules for the form
 * and the JSON API.
 */
export async function giveStance(
  viewer: UserSummary | null,
  slug: string,
  input: unknown,
): Promise<Result<{ questionKey: string; choice: string; changed: boolean }>> {
  if (!viewer) return check(viewer, 'answerPoll')!;
  const parsed = stanceSchema.safeParse(input);
  if (!parsed.success) return refuse('invalid:choice');
  const article = getArticleRef(slug);
  const barred = check(viewer, 'answerPoll', { article });
  if (barred) return barred;
  if (!article) return refuse('not_found:article');
  const target = getPollTarget(article.id, parsed.data.questionKey, parsed.data.choice);
  if (!target) return refuse('not_found:question');
  if (target.kind !== 'poll') return refuse('invalid:not_a_poll');
  if (target.choiceId === null) return refuse('invalid:choice');
  const throttled = throttle(viewer, 'stances');
  if (throttled) return throttled;
  const { changed } = castStance(target.questionId, viewer.id, target.choiceId);
  if (changed) articleCache.revalidate(article.slug, viewer.id);
  return { ok: true, value: { questionKey: parsed.data.questionKey, choice: parsed.data.choice, changed } };
}
