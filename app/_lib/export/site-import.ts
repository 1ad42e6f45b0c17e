import 'server-only';
import fs from 'node:fs';
import { z } from 'zod';
import { getDb, type Tx } from '@/db/index';
import { findImported, indexingCommentsAtTheEnd, insertImportedComment, lastCommentId, placeImported } from '@/db/queries/comment-imports';
import { passImportedComments } from '@/db/queries/notifications';
import { insertGuestAuthor } from '@/db/queries/guest-authors';
import { findNativeComment } from '@/db/queries/site-data';
import { findGuest, findOrInsertArticle, findOrInsertReader, insertReport, insertStance, insertVersion, insertVote, recountVotes, type ArticleIds } from '@/db/queries/site-import';
import { ARTICLE_POLICIES, REPORT_REASONS, commentStatuses, editorRoles, questionKinds, roles } from '@/db/schema';
import { sanitizeImportedHtml } from '../content/markdown';
import { ImportError } from '../import/xml-stream';
import { SITE_EXPORT_FORMAT, SITE_EXPORT_VERSION } from './site-export';

/*
 * `npm run import -- json FILE`: this site's own export (site-export.ts) read back, in one
 * transaction. Comments keep their keys as source and source id (`site:12` becomes source
 * 'site', id '12'), so importing the file again, here or elsewhere, adds nothing, and
 * exporting again gives the same file. HTML passes the comment sanitizer again on the way in.
 */

const date = z.iso.datetime().transform((s) => new Date(s));
const maybeDate = date.nullable();

const schema = z.object({
  format: z.literal(SITE_EXPORT_FORMAT),
  version: z.literal(SITE_EXPORT_VERSION),
  exportedAt: z.string(),
  articles: z.array(
    z.object({
      slug: z.string().min(1),
      title: z.string(),
      summary: z.string(),
      bodyMarkdown: z.string(),
      disclosure: z.string().nullable(),
      sourceLabel: z.string().nullable(),
      sourceUrl: z.string().nullable(),
      publishedAt: maybeDate,
      contentHash: z.string(),
      moderation: z.enum(ARTICLE_POLICIES),
      closedAt: maybeDate,
      createdAt: date,
      updatedAt: date,
      questions: z.array(
        z.object({
          key: z.string(),
          position: z.number().int(),
          prompt: z.string(),
          label: z.string().nullable(),
          kind: z.enum(questionKinds),
          createdAt: date,
          choices: z.array(z.object({ key: z.string(), position: z.number().int(), label: z.string() })),
        }),
      ),
    }),
  ),
  readers: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string().nullable(),
      email: z.string().nullable(),
      emailVerified: maybeDate,
      role: z.enum(roles),
      bannedAt: maybeDate,
      bannedUntil: maybeDate,
      banReason: z.string().nullable(),
      notifyReplies: z.boolean(),
      createdAt: date,
    }),
  ),
  guestAuthors: z.array(
    z.object({ id: z.string().min(1), name: z.string().nullable(), email: z.string().nullable(), source: z.string(), sourceKey: z.string(), createdAt: date }),
  ),
  comments: z.array(
    z.object({
      key: z.string().regex(/^[^:]+:.+$/),
      article: z.string(),
      author: z.string(),
      parent: z.string().nullable(),
      root: z.string().nullable(),
      replyTo: z.string().nullable(),
      depth: z.number().int().min(0),
      question: z.string().nullable(),
      bodyMarkdown: z.string(),
      bodyHtml: z.string(),
      status: z.enum(commentStatuses),
      moderationReason: z.string().nullable(),
      reportCount: z.number().int().min(0),
      reviewedAt: maybeDate,
      featuredAt: maybeDate,
      createdAt: date,
      editedAt: maybeDate,
      editedBy: z.string().nullable(),
      editedAs: z.enum(editorRoles).nullable(),
      editReason: z.string().nullable(),
      deletedAt: maybeDate,
      versions: z.array(
        z.object({ bodyMarkdown: z.string(), bodyHtml: z.string(), writtenAt: date, writtenBy: z.string().nullable(), writtenAs: z.enum(editorRoles), reason: z.string().nullable() }),
      ),
    }),
  ),
  votes: z.array(z.object({ comment: z.string(), reader: z.string(), createdAt: date })),
  stances: z.array(z.object({ article: z.string(), question: z.string(), choice: z.string(), reader: z.string(), createdAt: date, updatedAt: date })),
  reports: z.array(z.object({ comment: z.string(), reader: z.string(), reason: z.enum(REPORT_REASONS), details: z.string().nullable(), createdAt: date })),
});

export type SiteImportReport = { dryRun: boolean; changedSlugs: string[]; text: string };

class RolledBack extends Error {}

function readExport(file: string): z.infer<typeof schema> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ImportError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
  if (text.length === 0) throw new ImportError(`${file} is empty (0 bytes): there is nothing to import.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const at = Number(/position (\d+)/.exec((error as Error).message)?.[1] ?? NaN);
    const line = Number.isFinite(at) ? text.slice(0, at).split('\n').length : null;
    throw new ImportError(`${file}${line ? `, line ${line}` : ''}: not JSON (${(error as Error).message}). This command reads this site's own export (npm run export).`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ImportError(`${file}: not a site export of format ${SITE_EXPORT_FORMAT} version ${SITE_EXPORT_VERSION}: at ${issue.path.join('.') || 'the top'}, ${issue.message}.`);
  }
  return parsed.data;
}

export function importSiteExport(file: string, { dryRun = false } = {}): SiteImportReport {
  const data = readExport(file);
  const tally = { articles: 0, readers: 0, guests: 0, comments: 0, duplicates: 0, votes: 0, stances: 0, reports: 0 };
  const changed = new Set<string>();

  const write = (tx: Tx) => {
    const articleIds = new Map<string, ArticleIds>();
    for (const a of data.articles) {
      const ids = findOrInsertArticle(tx, a);
      if (ids.created) tally.articles += 1;
      articleIds.set(a.slug, ids);
    }
    const people = new Map<string, string>();
    for (const r of data.readers) {
      const { id, created } = findOrInsertReader(tx, { ...r, email: r.email?.trim().toLowerCase() || null });
      if (created) tally.readers += 1;
      people.set(r.id, id);
    }
    for (const g of data.guestAuthors) {
      const found = findGuest(tx, g);
      if (!found) tally.guests += 1;
      people.set(g.id, found ?? insertGuestAuthor(tx, { id: g.id, source: g.source, key: g.sourceKey, name: g.name ?? '', email: g.email, createdAt: g.createdAt }));
    }
    const person = (id: string | null, what: string) => {
      if (id === null) return null;
      const found = people.get(id);
      if (!found) throw new ImportError(`${file}: ${what} names the person ${id}, who is neither among its readers nor its guest authors.`);
      return found;
    };

    const lastIdBefore = lastCommentId(tx);
    const touched = new Set<number>();
    const commentIds = new Map<string, number>();
    const deferred: { id: number; parent: string | null; root: string | null; replyTo: string | null; depth: number; questionId: number | null }[] = [];
    const inserted: number[] = [];
    const questionIds = new Set<number>();
    for (const c of data.comments) {
      const article = articleIds.get(c.article);
      if (!article) throw new ImportError(`${file}: comment ${c.key} is on the article "${c.article}", which the file does not hold.`);
      const colon = c.key.indexOf(':');
      const source = c.key.slice(0, colon);
      const sourceId = c.key.slice(colon + 1);
      const existing =
        findImported(source, sourceId)?.id ?? (source === 'site' && /^\d+$/.test(sourceId) ? findNativeComment(Number(sourceId), article.id, c.createdAt) : null);
      if (existing) {
        commentIds.set(c.key, existing);
        tally.duplicates += 1;
        continue;
      }
      const question = c.question === null ? null : (article.questions.get(c.question)?.id ?? null);
      const refs = [c.parent, c.root === c.key ? null : c.root, c.replyTo].map((k) => (k === null ? null : commentIds.get(k)));
      const later = refs.some((r) => r === undefined);
      const id = insertImportedComment(tx, {
        articleId: article.id,
        authorId: person(c.author, `comment ${c.key}`)!,
        // A reply met before its parent waits outside any thread (and any question's count) until the end.
        ...(later || c.parent === null
          ? { parentId: null, rootId: null, replyToId: null, depth: later ? 0 : c.depth }
          : { parentId: refs[0]!, rootId: refs[1]!, replyToId: refs[2] ?? null, depth: c.depth }),
        questionId: later ? null : question,
        bodyMarkdown: c.bodyMarkdown,
        bodyHtml: c.bodyHtml ? sanitizeImportedHtml(c.bodyHtml) : '',
        status: c.status,
        moderationReason: c.moderationReason,
        createdAt: c.createdAt,
        source,
        sourceId,
        reportCount: c.reportCount,
        reviewedAt: c.reviewedAt,
        featuredAt: c.featuredAt,
        editedAt: c.editedAt,
        editedBy: person(c.editedBy, `comment ${c.key}`),
        editedAs: c.editedAs,
        editReason: c.editReason,
        deletedAt: c.deletedAt,
      })!;
      commentIds.set(c.key, id);
      touched.add(article.id);
      if (later) deferred.push({ id, parent: c.parent, root: c.root, replyTo: c.replyTo, depth: c.depth, questionId: question });
      for (const v of c.versions) insertVersion(tx, id, { ...v, bodyHtml: v.bodyHtml ? sanitizeImportedHtml(v.bodyHtml) : '', writtenBy: person(v.writtenBy, `a version of ${c.key}`) });
      inserted.push(id);
      if (question !== null) questionIds.add(question);
      tally.comments += 1;
      changed.add(c.article);
    }
    const resolve = (key: string | null, what: string) => {
      if (key === null) return null;
      const id = commentIds.get(key);
      if (id === undefined) throw new ImportError(`${file}: ${what} names the comment ${key}, which the file does not hold.`);
      return id;
    };
    for (const d of deferred) placeImported(tx, d.id, { parentId: resolve(d.parent, 'a reply'), rootId: resolve(d.root, 'a reply'), replyToId: resolve(d.replyTo, 'a reply'), depth: d.depth, questionId: d.questionId });
    for (const v of data.votes) {
      insertVote(tx, resolve(v.comment, 'a vote')!, person(v.reader, 'a vote')!, v.createdAt);
      tally.votes += 1;
    }
    for (const r of data.reports) {
      insertReport(tx, resolve(r.comment, 'a report')!, { userId: person(r.reader, 'a report')!, reason: r.reason, details: r.details, createdAt: r.createdAt });
      tally.reports += 1;
    }
    for (const s of data.stances) {
      const question = articleIds.get(s.article)?.questions.get(s.question);
      const choiceId = question?.choices.get(s.choice);
      if (!question || choiceId === undefined) throw new ImportError(`${file}: a stance names ${s.article} / ${s.question} / ${s.choice}, which the file does not hold.`);
      insertStance(tx, { questionId: question.id, choiceId, userId: person(s.reader, 'a stance')!, createdAt: s.createdAt, updatedAt: s.updatedAt });
      questionIds.add(question.id);
      tally.stances += 1;
    }
    recountVotes(tx, inserted, [...questionIds]);
    // Old discussion is not news: subscribers are not mailed about what was imported.
    const lastIdAfter = lastCommentId(tx);
    for (const articleId of touched) passImportedComments(tx, articleId, lastIdBefore, lastIdAfter);
    if (dryRun) throw new RolledBack();
  };

  try {
    getDb().transaction((tx) => indexingCommentsAtTheEnd(tx, () => write(tx)), { behavior: 'immediate' });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
  const text = [
    `${dryRun ? 'Dry run (nothing written): ' : ''}json ${file}, exported ${data.exportedAt}:`,
    `  ${tally.articles} new article(s), ${tally.readers} new reader(s), ${tally.guests} new guest author(s)`,
    `  ${tally.comments} comment(s) imported, ${tally.duplicates} already here (duplicates)`,
    `  ${data.votes.length} vote(s), ${data.stances.length} poll answer(s), ${data.reports.length} report(s) (each kept once)`,
  ].join('\n');
  return { dryRun, changedSlugs: [...changed], text };
}
