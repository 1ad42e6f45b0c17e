import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { readArticleFiles } from '@/db/content';
import { DEFAULT_VIEW } from '@/app/_lib/comments/view';
import { ArticlePage } from '../../articles/[slug]/_components/article-page';

/*
 * The benchmark's baseline: the same article, drawn by the same components, but prerendered at
 * build time from the content file with no database. It measures Next's own ceiling for a
 * static page of the article's size. It exists only in builds made with BENCH_BASELINE=1
 * (scripts/bench.mjs); every other build prerenders it as a 404.
 */
export const dynamic = 'force-static';

export const metadata: Metadata = { title: 'Benchmark baseline', robots: { index: false } };

export default function BenchBaselinePage() {
  if (process.env.BENCH_BASELINE !== '1') notFound();
  const content = readArticleFiles()[0];
  if (!content) notFound();
  const article = {
    id: 0,
    slug: content.slug,
    title: content.title,
    summary: content.summary,
    bodyMarkdown: content.bodyMarkdown,
    disclosure: content.disclosure ?? null,
    sourceLabel: content.source?.label ?? null,
    sourceUrl: content.source?.url ?? null,
    publishedAt: content.publishedAt ?? null,
    updatedAt: new Date(0),
    commentCount: 0,
    moderation: 'site' as const,
    closedAt: null,
    questions: content.questions.map((q, index) => ({
      id: index + 1,
      key: q.key,
      position: index + 1,
      prompt: q.prompt,
      label: q.label ?? q.prompt,
      kind: q.kind,
      answerCount: 0,
      choices: (q.choices ?? []).map((c, i) => ({ ...c, id: i + 1, voteCount: 0 })),
    })),
  };
  const discussion = {
    view: DEFAULT_VIEW,
    threads: [],
    nextCursor: null,
    startsLater: false,
    missingComment: false,
    votedIds: new Set<number>(),
    latestId: 0,
    question: null,
    topAnswers: new Map(),
    myStances: new Map<number, string>(),
    authorStances: new Map<string, string>(),
    featured: [],
    reportedIds: new Set<number>(),
  };
  return <ArticlePage article={article} discussion={discussion} viewer={null} />;
}
