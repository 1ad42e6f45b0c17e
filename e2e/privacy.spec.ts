import { expect, test } from './fixtures';
import { startNext } from './own-servers';

/*
 * Issue 16: /privacy says what is kept, for how long and how to export or delete it, with the
 * periods this server is configured with (the settings its retention job deletes by), without
 * JavaScript, and is linked from every page's footer.
 */

test.describe('the privacy page', () => {
  test.use({ javaScriptEnabled: false });

  test('is linked from the footer and says the default periods, and where to download or delete your data, without JavaScript', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('contentinfo').getByRole('link', { name: 'Privacy' }).click();
    await expect(page).toHaveURL(/\/privacy$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Privacy' })).toBeVisible();
    const kept = page.locator('.privacy-list');
    await expect(kept.locator('dt', { hasText: 'Comments a moderator rejected' }).locator('+ dd')).toContainText('365 days after the moderator’s decision');
    await expect(kept.locator('dt', { hasText: 'Your network address' }).locator('+ dd')).toContainText('never kept longer than 30 days');
    await expect(kept.locator('dt', { hasText: 'Drafts' }).locator('+ dd')).toContainText('Deleted after 1 day');
    await expect(kept.locator('dt', { hasText: 'Sign-ins' }).locator('+ dd')).toContainText('leave it unused for 30 days');
    await expect(kept.locator('dt', { hasText: 'Mail sent to you' }).locator('+ dd')).toContainText('deleted with your account, sent or not');
    for (const what of ['Your account', 'Your comments and their edit history', 'Votes, poll answers, reports and subscriptions', 'Sign-ins', 'Mail sent to you']) {
      await expect(kept.locator('dt', { hasText: what })).toBeVisible();
    }
    await expect(page.getByRole('link', { name: 'Download my data' })).toHaveAttribute('href', '/profile#your-data');
    await expect(page.getByRole('link', { name: 'Delete my account' })).toHaveAttribute('href', '/profile#delete-account');
  });

  test('says the periods the server was started with', async () => {
    test.setTimeout(90_000);
    const next = await startNext({ RETAIN_REJECTED_DAYS: '90', RETAIN_IP_DAYS: '7' });
    try {
      const response = await fetch(`${next.origin}/privacy`);
      expect(response.status).toBe(200);
      // The served HTML, as a reader without JavaScript gets it.
      const text = (await response.text()).replace(/<[^>]+>/g, '').replace(/<!-- -->/g, '');
      expect(text).toContain('Kept, hidden, for 90 days after the moderator’s decision');
      expect(text).toContain('never kept longer than 7 days');
      expect(text).not.toContain('365 days');
    } finally {
      await next.stop();
    }
  });
});
