import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { questionKinds } from './schema';

/** Where article files live: one Markdown file per article, front matter first. */
export const CONTENT_FOLDER = path.join(process.cwd(), 'db', 'content');

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens');

const choiceSchema = z.object({ key: slug, label: z.string().trim().min(1) });

const questionSchema = z
  .object({
    key: slug,
    label: z.string().trim().min(1).max(40).optional(),
    kind: z.enum(questionKinds).default('open'),
    prompt: z.string().trim().min(1),
    choices: z.array(choiceSchema).optional(),
  })
  .refine((q) => (q.kind === 'poll') === (q.choices !== undefined && q.choices.length >= 2), {
    message: 'a poll question needs two or more choices, and only a poll question has choices',
  });

const frontMatterSchema = z.object({
  slug,
  title: z.string().trim().min(1),
  summary: z.string().trim().min(1),
  disclosure: z.string().trim().min(1).optional(),
  publishedAt: z.coerce.date().optional(),
  source: z.object({ label: z.string().trim().min(1), url: z.url().optional() }).optional(),
  questions: z.array(questionSchema).default([]),
});

export type ArticleContent = z.infer<typeof frontMatterSchema> & {
  bodyMarkdown: string;
  contentHash: string;
};

const FENCE = '---';

/** Splits `---\nyaml\n---\nbody` and validates the front matter. */
export function parseArticleFile(text: string, fileName = 'article'): ArticleContent {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const end = lines.indexOf(FENCE, 1);
  if (lines[0] !== FENCE || end === -1) {
    throw new Error(`${fileName}: expected front matter between two "---" lines at the top`);
  }
  const parsed = frontMatterSchema.safeParse(parseYaml(lines.slice(1, end).join('\n')));
  if (!parsed.success) {
    throw new Error(`${fileName}: invalid front matter: ${z.prettifyError(parsed.error)}`);
  }
  const keys = parsed.data.questions.map((q) => q.key);
  if (new Set(keys).size !== keys.length) throw new Error(`${fileName}: question keys repeat`);
  return {
    ...parsed.data,
    bodyMarkdown: lines.slice(end + 1).join('\n').trim(),
    contentHash: crypto.createHash('sha256').update(text).digest('hex'),
  };
}

export function readArticleFiles(folder = CONTENT_FOLDER): ArticleContent[] {
  // The folder is chosen at run time; tell the bundler not to trace the whole project for it.
  return fs
    .readdirSync(/*turbopackIgnore: true*/ folder)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => {
      const file = path.join(/*turbopackIgnore: true*/ folder, name);
      return parseArticleFile(fs.readFileSync(/*turbopackIgnore: true*/ file, 'utf8'), name);
    });
}
