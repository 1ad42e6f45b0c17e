import Database from 'better-sqlite3';
import {
  ARTICLE_PATH,
  E2E_DB_PATH,
  expect,
  expectNoAxeViolations,
  fillSignIn,
  fillSignUp,
  linkIn,
  newReader,
  signOut,
  signUpAs,
  test,
  waitForMailTo,
} from './fixtures';

const account = (page: import('@playwright/test').Page) => page.getByRole('navigation', { name: 'Account' });

test.describe('accounts with email and password', () => {
  test('a reader signs up from the discussion and lands back at the discussion, signed in', async ({ page }) => {
    await page.goto(ARTICLE_PATH);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Create an account' })).toBeVisible();
    const reader = newReader('Ada Reader');
    await fillSignUp(page, reader);
    await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible({ timeout: 15_000 });
    await expect(account(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
    await page.goto(linkIn(await waitForMailTo(reader.email)));
    await page.getByRole('button', { name: 'Create my account' }).click();
    await expect(page).toHaveURL(`${ARTICLE_PATH}#discussion`);
    await expect(account(page)).toContainText('Signed in as Ada Reader');
    await expect(page.getByText('Commenting as Ada Reader')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Sign in to comment' })).toHaveCount(0);
  });

  test('sign out, then sign in again returns to the discussion', async ({ page }) => {
    const reader = await signUpAs(page, newReader('Grace Reader'));
    await page.goto(ARTICLE_PATH);
    await account(page).getByRole('button', { name: 'Sign out' }).click();
    await expect(account(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Sign in to comment' })).toBeVisible();

    await page.getByRole('link', { name: 'Sign in to comment' }).click();
    await fillSignIn(page, reader.email.toUpperCase(), reader.password);
    await expect(page).toHaveURL(`${ARTICLE_PATH}#discussion`);
    await expect(account(page)).toContainText('Signed in as Grace Reader');
  });

  test('a wrong password and an unknown email get the same message', async ({ page }) => {
    const reader = await signUpAs(page);
    await signOut(page);
    await page.goto('/signin');
    await fillSignIn(page, reader.email, 'not the password');
    await expect(page.getByText('Email or password is incorrect.')).toBeVisible();
    await expect(page.getByLabel('Email')).toHaveValue(reader.email);
    await expect(page.getByLabel('Password')).toHaveValue('');

    await fillSignIn(page, 'nobody-here@example.test', 'not the password');
    await expect(page.getByText('Email or password is incorrect.')).toBeVisible();
    await expect(account(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
  });

  test('signing up with a registered address, whatever its case, answers as for a new one and tells the owner', async ({ page }) => {
    const reader = await signUpAs(page);
    await signOut(page);
    await page.goto('/signup');
    await fillSignUp(page, { ...reader, name: 'Someone Else', email: `  ${reader.email.toUpperCase()} ` });
    await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible({ timeout: 15_000 });
    await expect(page.getByText(`We sent a link to ${reader.email}.`)).toBeVisible();
    await expect(page.getByText('already exists')).toHaveCount(0);
    const warning = await waitForMailTo(reader.email, (m) => m.subject === 'Someone tried to create an account with your address');
    expect(warning.text).toContain('already has one');
    // The note's link signs the owner in; nothing was created for "Someone Else".
    await page.goto(linkIn(warning));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(account(page)).toContainText(`Signed in as ${reader.name}`);
  });

  test('sign-up explains a short password, an empty name and a name that is too long', async ({ page }) => {
    await page.goto('/signup');
    await fillSignUp(page, { name: '   ', email: 'not-an-email', password: 'short' });
    await expect(page.getByText('Enter a display name.')).toBeVisible();
    await expect(page.getByText('Enter a valid email address, like name@example.com.')).toBeVisible();
    await expect(page.getByText('Use at least 10 characters for your password.')).toBeVisible();
    await expect(page.getByLabel('Display name')).toHaveAttribute('aria-invalid', 'true');

    await fillSignUp(page, { name: 'x'.repeat(51), email: newReader().email, password: 'long enough password' });
    await expect(page.getByText('Keep your display name to 50 characters or fewer.')).toBeVisible();
    await expect(account(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
  });

  test('too many wrong passwords for one account from one browser are refused with when to try again', async ({ page }) => {
    const reader = await signUpAs(page);
    await signOut(page);
    await page.goto('/signin');
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await fillSignIn(page, reader.email, `wrong password ${attempt}`);
      // The form clears the password when the answer arrives: wait for it before the next try.
      await expect(page.getByLabel('Password')).toHaveValue('');
      await expect(page.getByText('Email or password is incorrect.')).toBeVisible();
    }
    await fillSignIn(page, reader.email, reader.password);
    await expect(page.getByText(/Too many attempts\. Try again in 1[45] minutes\./)).toBeVisible();
    await expect(account(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
  });

  test('a signed-in reader is never sent to another site by callbackUrl', async ({ page }) => {
    await signUpAs(page);
    for (const hostile of ['/.//evil.example', '/..//evil.example', '/%2e//evil.example', '/.%2F/evil.example', '/./%5Cevil.example']) {
      // As typed in the address bar: the query is decoded once before the page sees it.
      const response = await page.request.get(`/signin?callbackUrl=${hostile}`, { maxRedirects: 0 });
      expect(response.status(), hostile).toBe(307);
      expect(response.headers().location, hostile).toBe('/');
    }
    const fine = await page.request.get(`/signin?callbackUrl=${encodeURIComponent(`${ARTICLE_PATH}#discussion`)}`, { maxRedirects: 0 });
    expect(fine.headers().location).toBe(`${ARTICLE_PATH}#discussion`);
  });

  test('a reader changes their display name on the profile page', async ({ page }) => {
    await signUpAs(page, newReader('Old Name'));
    await account(page).getByRole('link', { name: 'Old Name' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Your profile' })).toBeVisible();
    await page.getByLabel('Display name').fill('  New   Name ');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByText('Saved. You now appear as “New Name”.')).toBeVisible();
    await expect(account(page)).toContainText('Signed in as New Name');
    await page.goto(ARTICLE_PATH);
    await expect(page.getByText('Commenting as New Name')).toBeVisible();
  });

  test('the sign-in, sign-up and profile pages have no axe violations', async ({ page }) => {
    for (const path of ['/signin', '/signup']) {
      await page.goto(path);
      await expectNoAxeViolations(page);
    }
    await signUpAs(page);
    await page.goto('/profile');
    await expectNoAxeViolations(page);
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('sign up, sign out and sign in all work as plain form posts', async ({ page }) => {
    await page.goto(`/signup?callbackUrl=${encodeURIComponent(`${ARTICLE_PATH}#discussion`)}`);
    const reader = newReader('No Script');
    await fillSignUp(page, reader);
    await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
    await page.goto(linkIn(await waitForMailTo(reader.email)));
    await page.getByRole('button', { name: 'Create my account' }).click();
    await expect(page).toHaveURL(new RegExp(`${ARTICLE_PATH}(#discussion)?$`));
    await expect(account(page)).toContainText('Signed in as No Script');

    await account(page).getByRole('button', { name: 'Sign out' }).click();
    await expect(account(page).getByRole('link', { name: 'Sign in' })).toBeVisible();

    await page.goto('/signin');
    await fillSignIn(page, reader.email, 'wrong password!');
    await expect(page.getByText('Email or password is incorrect.')).toBeVisible();
    await fillSignIn(page, reader.email, reader.password);
    await expect(account(page)).toContainText('Signed in as No Script');
  });
});

/** Signs in on the OIDC provider's own pages (oidc-provider's login and consent), as a reader would. */
async function signInAtProvider(page: import('@playwright/test').Page, login: string): Promise<void> {
  await page.getByPlaceholder('Enter any login').fill(login);
  await page.getByPlaceholder('and password').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test.describe('single sign-on through OpenID Connect', () => {
  test('a reader signs in at a conformant provider that sends email and name only from UserInfo', async ({ page }) => {
    await page.goto(ARTICLE_PATH);
    await page.getByRole('link', { name: 'Sign in to comment' }).click();
    await page.getByRole('button', { name: 'Continue with Test SSO' }).click();
    await signInAtProvider(page, 'olivia');
    await expect(page).toHaveURL(`${ARTICLE_PATH}#discussion`);
    await expect(account(page)).toContainText('Signed in as Olivia Oidc');
    await page.goto('/profile');
    await expect(page.getByText('Signed in with olivia.oidc@example.test.')).toBeVisible();
  });

  test('a provider that shares no email address gets a clear message, and no account', async ({ page }) => {
    await page.goto('/signin');
    await page.getByRole('button', { name: 'Continue with Test SSO' }).click();
    await signInAtProvider(page, 'nemo');
    await expect(page).toHaveURL(/\/signin\?error=EmailRequired/);
    await expect(page.getByText('That provider did not share an email address with this site')).toBeVisible();
    await expect(account(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
    const db = new Database(E2E_DB_PATH, { readonly: true });
    try {
      expect(db.prepare("select count(*) as n from users where name = 'Nemo Noemail'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  test('buttons appear only for providers that are configured', async ({ page }) => {
    await page.goto('/signin');
    await expect(page.getByRole('button', { name: 'Continue with Test SSO' })).toBeVisible();
    await expect(page.getByRole('button', { name: /GitHub|Google/ })).toHaveCount(0);
  });
});

test.describe('admins from ADMIN_EMAILS', () => {
  const moderationLink = (page: import('@playwright/test').Page) => page.getByRole('link', { name: 'Moderation' });

  test('an address the provider verified is an admin', async ({ page }) => {
    await page.goto('/signin');
    await page.getByRole('button', { name: 'Continue with Test SSO' }).click();
    await signInAtProvider(page, 'olivia');
    await expect(account(page)).toContainText('Signed in as Olivia Oidc');
    await expect(moderationLink(page)).toBeVisible();
    await page.goto('/moderation/audit');
    await expect(page.getByRole('table', { name: 'Moderation actions, newest first' })).toBeVisible();
  });

  test('an address the provider did not verify is not', async ({ page }) => {
    await page.goto('/signin');
    await page.getByRole('button', { name: 'Continue with Test SSO' }).click();
    await signInAtProvider(page, 'una');
    await expect(account(page)).toContainText('Signed in as Una Unverified');
    await expect(moderationLink(page)).toHaveCount(0);
  });

  // Sign-up now proves the address by mail, so nobody can claim a listed address they do not read.
  test('a password sign-up with a listed address is an admin once the mailed link confirms it', async ({ page }) => {
    await signUpAs(page, { ...newReader('Claimed Admin'), email: 'claimed-admin@example.test' });
    await expect(moderationLink(page)).toBeVisible();
  });
});
