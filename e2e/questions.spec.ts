import type { Page } from '@playwright/test';
import { ARTICLE_PATH, QUESTIONS, commentByText, expect, newReader, signUpAs, test } from './fixtures';

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
const prompt = (page: Page, index: number) => page.locator('.prompts__list > li').nth(index);

/** The results line for one choice, e.g. "Yes … 50% · 1". */
const result = (page: Page, label: string) =>
  prompt(page, 1).locator('.poll__result').filter({ has: page.locator('.poll__label', { hasText: new RegExp(`^${label}`) }) });

async function answersCount(page: Page, index: number): Promise<number> {
  const text = await prompt(page, index).locator('.prompt__meta a').first().textContent();
  return Number((text ?? '0').replace(/[^\d]/g, ''));
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  test.describe(`the article's questions ${mode}`, () => {
    test.use({ javaScriptEnabled });

    test('a reader answers each question; each answer says which question it answers', async ({ page }) => {
      await signUpAs(page, newReader('Answerer'));
      for (const [index, question] of QUESTIONS.entries()) {
        await page.goto(ARTICLE_PATH);
        const before = await answersCount(page, index);
        await prompt(page, index).getByRole('link', { name: `Answer: ${question}` }).click();
        await expect(page.getByText(`Answering: ${question}`)).toBeVisible();
        const text = unique(`My answer to question ${index + 1}`);
        await page.getByLabel('Your answer', { exact: true }).fill(text);
        await page.getByRole('button', { name: 'Post answer' }).click();
        const answer = commentByText(page, text);
        await expect(answer).toBeVisible();
        await expect(answer.locator('.tag').first()).toHaveText(/^Answers: (Growth|Targets|Next focus)$/);
        await page.goto(ARTICLE_PATH);
        expect(await answersCount(page, index)).toBe(before + 1);
      }
    });

    test('the question tabs filter the discussion and sit in the address', async ({ page }) => {
      await signUpAs(page, newReader('Filterer'));
      const growth = unique('Growth answer');
      const general = unique('General remark');
      await page.goto(`${ARTICLE_PATH}?question=growth`);
      await page.getByLabel('Your answer', { exact: true }).fill(growth);
      await page.getByRole('button', { name: 'Post answer' }).click();
      await expect(commentByText(page, growth)).toBeVisible();
      await page.goto(ARTICLE_PATH);
      await page.getByLabel('Your comment', { exact: true }).fill(general);
      await page.getByRole('button', { name: 'Post comment' }).click();
      await expect(commentByText(page, general)).toBeVisible();

      await page.goto(`${ARTICLE_PATH}?sort=newest`);
      const tabs = page.getByRole('navigation', { name: 'Filter by question' });
      await tabs.getByRole('link', { name: /^Growth \d+$/ }).click();
      await expect(page).toHaveURL(/question=growth/);
      await expect(tabs.getByRole('link', { name: /^Growth/ })).toHaveAttribute('aria-current', 'page');
      await expect(page.getByRole('list', { name: 'Answers to “Growth”' })).toBeVisible();
      await expect(commentByText(page, growth)).toBeVisible();
      await expect(commentByText(page, general)).toHaveCount(0);
      await tabs.getByRole('link', { name: /^All/ }).click();
      await expect(page).not.toHaveURL(/question=/);
      await expect(commentByText(page, general)).toBeVisible();
    });

    test('a reader gives a one-click answer to the targets question, changes it, and sees the totals', async ({ page }) => {
      await page.goto(ARTICLE_PATH);
      await expect(prompt(page, 1).getByRole('link', { name: 'Sign in to give your answer' })).toBeVisible();

      await signUpAs(page, newReader('Stance Taker'));
      await page.goto(ARTICLE_PATH);
      const count = async (label: string) => Number(((await result(page, label).locator('.poll__figure').textContent()) ?? '').split('·')[1]);
      const yesBefore = await count('Yes');
      const noBefore = await count('No');

      // The results wait for the reader's answer, behind "Show results", so they do not steer it.
      await expect(result(page, 'Yes')).toBeHidden();
      await prompt(page, 1).getByText('Show results').click();
      await expect(result(page, 'Yes')).toBeVisible();
      await prompt(page, 1).getByText('Hide results').click();
      await expect(result(page, 'Yes')).toBeHidden();

      // With JavaScript one tap answers, and the button (in the HTML for a page without) is not
      // shown; without, the choice goes with the button.
      const give = prompt(page, 1).locator('button[data-stance]');
      await expect(give).toHaveText('Give my answer');
      if (javaScriptEnabled) await expect(give).toBeHidden();
      else await expect(give).toBeVisible();
      await prompt(page, 1).getByLabel('Yes').check();
      if (!javaScriptEnabled) await give.click();
      else {
        await expect(give).toHaveText('Change my answer');
        await expect(give, 'the button stays out of sight once one tap has answered').toBeHidden();
      }
      await expect(result(page, 'Yes')).toContainText('(your answer)');
      await expect(result(page, 'Yes')).toBeVisible();
      await page.goto(ARTICLE_PATH);
      expect(await count('Yes')).toBe(yesBefore + 1);

      await prompt(page, 1).getByLabel('No').check();
      if (!javaScriptEnabled) await prompt(page, 1).getByRole('button', { name: 'Change my answer' }).click();
      await expect(result(page, 'No')).toContainText('(your answer)');
      await page.goto(ARTICLE_PATH);
      expect(await count('Yes')).toBe(yesBefore);
      expect(await count('No')).toBe(noBefore + 1);
      // Poll stances are counted apart from written answers.
      await expect(prompt(page, 1).getByText(/^\d+ readers? chose\.$/)).toBeVisible();
      await expect(prompt(page, 1).locator('.prompt__meta')).toContainText(/\d+ written answers?/);

      // An answer comment on that question shows the author's stance beside it.
      const text = unique('Targets are ambitious');
      await page.goto(`${ARTICLE_PATH}?question=targets`);
      await page.getByLabel('Your answer', { exact: true }).fill(text);
      await page.getByRole('button', { name: 'Post answer' }).click();
      await expect(commentByText(page, text).getByText('Stance: No')).toBeVisible();
    });
  });
}

test('the summary shows the most up-voted answer to each question, linking to it', async ({ page, browser }) => {
  test.setTimeout(120_000); // eleven readers sign up through the real form
  await signUpAs(page, newReader('Summary Author'));
  await page.goto(`${ARTICLE_PATH}?question=next-focus`);
  const text = unique('Focus on flagship phones');
  await page.getByLabel('Your answer', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Post answer' }).click();
  await expect(commentByText(page, text)).toBeVisible();
  const id = (await commentByText(page, text).getAttribute('id'))!.replace('comment-', '');

  // Ten other readers up-vote it, so it is the most up-voted answer to that question.
  for (let i = 0; i < 10; i += 1) {
    const voter = await browser.newPage();
    await signUpAs(voter, newReader(`Voter ${i}`));
    await voter.goto(`${ARTICLE_PATH}?comment=${id}`);
    await commentByText(voter, text).getByRole('button', { name: /Up-vote/ }).click();
    await expect(commentByText(voter, text).getByRole('button', { name: /Up-vote/ })).toHaveAttribute('aria-pressed', 'true');
    await voter.close();
  }

  await page.goto(ARTICLE_PATH);
  const top = prompt(page, 2).locator('.prompt__top');
  await expect(top).toContainText(text);
  await expect(top).toContainText('Summary Author, 10 votes');
  await top.getByRole('link').click();
  await expect(page.locator(`#comment-${id}`)).toBeInViewport();
});

test('poll results update live when another reader votes', async ({ page, browser }) => {
  await page.goto(ARTICLE_PATH);
  await prompt(page, 1).getByText('Show results').click();
  const figure = result(page, 'Too early to tell').locator('.poll__figure');
  await expect(figure).toBeVisible();
  const before = Number(((await figure.textContent()) ?? '').split('·')[1]);

  const other = await browser.newPage();
  await signUpAs(other, newReader('Live Voter'));
  const response = await other.request.post(`/api/articles/xiaomi-q2-2017-smartphone-shipments/questions/targets/stance`, {
    data: { choice: 'too-early' },
  });
  expect(response.status()).toBe(200);
  await other.close();

  await expect(figure).toHaveText(new RegExp(`· ${before + 1}$`), { timeout: 20_000 });
});

test('the JSON-LD describes the questions with answer counts and the comments', async ({ request }) => {
  const html = await (await request.get(ARTICLE_PATH)).text();
  const jsonLd = JSON.parse(html.match(/<script type="application\/ld\+json">(.*?)<\/script>/)?.[1] ?? '{}');
  expect(jsonLd['@type']).toBe('NewsArticle');
  expect(typeof jsonLd.commentCount).toBe('number');
  const questions = jsonLd.comment.filter((c: { '@type': string }) => c['@type'] === 'Question');
  expect(questions.map((q: { name: string }) => q.name)).toEqual(QUESTIONS);
  for (const q of questions) expect(typeof q.answerCount).toBe('number');
  expect(jsonLd.comment.some((c: { '@type': string }) => c['@type'] === 'Comment')).toBe(true);
});
