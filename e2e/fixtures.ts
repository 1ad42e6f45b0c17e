import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';

export const ARTICLE_SLUG = 'xiaomi-q2-2017-smartphone-shipments';
export const ARTICLE_PATH = `/articles/${ARTICLE_SLUG}`;
export const ARTICLE_TITLE =
  'Xiaomi Ships 23.16 Million Smartphones in Q2 2017, Its Highest Ever Quarterly Shipments';

/** The article's paragraphs as the content file has them, to compare with what the page shows. */
export function articleParagraphs(): string[] {
  const file = fs.readFileSync(path.resolve('db/content', `${ARTICLE_SLUG}.md`), 'utf8');
  const body = file.split(/^---$/m).slice(2).join('---');
  return body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

export const QUESTIONS = [
  'What are your thoughts on Xiaomi’s recent growth and success?',
  'Will the company achieve its current targets?',
  'What areas should the company next focus on?',
];

/** Runs axe on the page and fails with the list of violations, if any. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`);
  expect(summary).toEqual([]);
}

class ArticlePageObject {
  constructor(private readonly page: Page) {}

  async goto() {
    const response = await this.page.goto(ARTICLE_PATH);
    expect(response?.status()).toBe(200);
  }

  get article() {
    return this.page.getByRole('article');
  }

  get discussion() {
    return this.page.getByRole('region', { name: 'Discussion' });
  }
}

export const test = base.extend<{ articlePage: ArticlePageObject }>({
  articlePage: async ({ page }, use) => {
    await use(new ArticlePageObject(page));
  },
});

export { expect };
