import 'server-only';
import fs from 'node:fs';
import {
  exportArticles,
  exportChoices,
  exportComments,
  exportGuestAuthors,
  exportQuestions,
  exportReaders,
  exportReports,
  exportStances,
  exportVersions,
  exportVotes,
} from '@/db/queries/site-data';

/*
 * The site export (`npm run export -- FILE.json`): everything needed to rebuild the site's
 * discussions, in the versioned format docs/site-export.md describes. Rows refer to each other
 * by stable keys, never by this database's ids: articles by slug, questions and choices by
 * key, comments by `source:sourceId` (`site:<id>` for one written here), people by their id.
 * Left out: password hashes, sessions, sign-in and mail tokens, IP data, the mail outbox.
 */

export const SITE_EXPORT_FORMAT = 'blog-site-export';
export const SITE_EXPORT_VERSION = 1;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A comment's key: where it came from and its id there. */
export function commentKey(c: { id: number; source: string | null; sourceId: string | null }): string {
  return c.source && c.sourceId ? `${c.source}:${c.sourceId}` : `site:${c.id}`;
}

export function buildSiteExport(now = new Date()) {
  const articleRows = exportArticles();
  const slugOf = new Map(articleRows.map((a) => [a.id, a.slug]));
  const questionRows = exportQuestions();
  const questionOf = new Map(questionRows.map((q) => [q.id, q]));
  const choiceRows = exportChoices();
  const choiceKey = new Map(choiceRows.map((c) => [c.id, c.key]));
  const commentRows = exportComments();
  const keyOf = new Map(commentRows.map((c) => [c.id, commentKey(c)]));
  const versionsOf = new Map<number, ReturnType<typeof exportVersions>>();
  for (const v of exportVersions()) versionsOf.set(v.commentId, [...(versionsOf.get(v.commentId) ?? []), v]);
  const ref = (id: number | null) => (id === null ? null : (keyOf.get(id) ?? null));

  return {
    format: SITE_EXPORT_FORMAT,
    version: SITE_EXPORT_VERSION,
    exportedAt: now.toISOString(),
    articles: articleRows.map((a) => ({
      slug: a.slug,
      title: a.title,
      summary: a.summary,
      bodyMarkdown: a.bodyMarkdown,
      disclosure: a.disclosure,
      sourceLabel: a.sourceLabel,
      sourceUrl: a.sourceUrl,
      publishedAt: iso(a.publishedAt),
      contentHash: a.contentHash,
      moderation: a.moderation,
      closedAt: iso(a.closedAt),
      createdAt: iso(a.createdAt),
      updatedAt: iso(a.updatedAt),
      questions: questionRows
        .filter((q) => q.articleId === a.id)
        .map((q) => ({
          key: q.key,
          position: q.position,
          prompt: q.prompt,
          label: q.label,
          kind: q.kind,
          createdAt: iso(q.createdAt),
          choices: choiceRows.filter((c) => c.questionId === q.id).map((c) => ({ key: c.key, position: c.position, label: c.label })),
        })),
    })),
    readers: exportReaders().map((r) => ({ ...r, emailVerified: iso(r.emailVerified), bannedAt: iso(r.bannedAt), bannedUntil: iso(r.bannedUntil), createdAt: iso(r.createdAt) })),
    guestAuthors: exportGuestAuthors().map((g) => ({ ...g, createdAt: iso(g.createdAt) })),
    comments: commentRows.map((c) => ({
      key: keyOf.get(c.id)!,
      article: slugOf.get(c.articleId)!,
      author: c.authorId,
      parent: ref(c.parentId),
      root: ref(c.rootId),
      replyTo: ref(c.replyToId),
      depth: c.depth,
      question: c.questionId === null ? null : (questionOf.get(c.questionId)?.key ?? null),
      bodyMarkdown: c.bodyMarkdown,
      bodyHtml: c.bodyHtml,
      status: c.status,
      moderationReason: c.moderationReason,
      reportCount: c.reportCount,
      reviewedAt: iso(c.reviewedAt),
      featuredAt: iso(c.featuredAt),
      createdAt: iso(c.createdAt),
      editedAt: iso(c.editedAt),
      editedBy: c.editedBy,
      editedAs: c.editedAs,
      editReason: c.editReason,
      deletedAt: iso(c.deletedAt),
      versions: (versionsOf.get(c.id) ?? []).map((v) => ({
        bodyMarkdown: v.bodyMarkdown,
        bodyHtml: v.bodyHtml,
        writtenAt: iso(v.writtenAt),
        writtenBy: v.writtenBy,
        writtenAs: v.writtenAs,
        reason: v.reason,
      })),
    })),
    votes: exportVotes().map((v) => ({ comment: keyOf.get(v.commentId)!, reader: v.userId, createdAt: iso(v.createdAt) })),
    stances: exportStances().map((s) => {
      const question = questionOf.get(s.questionId)!;
      return {
        article: slugOf.get(question.articleId)!,
        question: question.key,
        choice: choiceKey.get(s.choiceId)!,
        reader: s.userId,
        createdAt: iso(s.createdAt),
        updatedAt: iso(s.updatedAt),
      };
    }),
    reports: exportReports().map((r) => ({ comment: keyOf.get(r.commentId)!, reader: r.userId, reason: r.reason, details: r.details, createdAt: iso(r.createdAt) })),
  };
}

export type SiteExport = ReturnType<typeof buildSiteExport>;

/** Writes the site export to `file`; returns what it holds, for the command's summary. */
export function writeSiteExport(file: string): { articles: number; comments: number; readers: number; guestAuthors: number } {
  const data = buildSiteExport();
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return { articles: data.articles.length, comments: data.comments.length, readers: data.readers.length, guestAuthors: data.guestAuthors.length };
}
