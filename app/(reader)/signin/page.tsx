import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { ProviderButtons } from '@/app/_components/provider-buttons';
import { externalProviders } from '@/app/_lib/auth/config';
import { returnPathFor } from '@/app/_lib/auth/return-path';
import { getCurrentUser } from '@/app/_lib/auth/session';
import { signInWithProvider } from './actions';
import { SignInForm } from './signin-form';
import { pageAlternates } from '@/app/_lib/feeds/links';

// Indexable, so a search for the site's sign-in finds it; every ?callbackUrl= variant names
// /signin as canonical, so the variants are not indexed as pages of their own.
export const metadata: Metadata = {
  title: 'Sign in',
  description: 'Sign in to comment on the news and answer the articles’ questions.',
  alternates: pageAlternates('/signin'),
};

/** Messages for the error codes Auth.js puts in the address after a failed provider sign-in. */
const PROVIDER_ERRORS: Record<string, string> = {
  OAuthAccountNotLinked:
    'That email address already has an account here. Sign in with your password; the provider was not linked.',
  AccessDenied: 'The sign-in was cancelled or refused.',
  EmailRequired:
    'That provider did not share an email address with this site, and every account here needs one. Allow access to your email there and try again, or create an account with email and password.',
  CredentialsSignin: 'Email or password is incorrect.',
  rate_limited: 'Too many attempts. Try again in a few minutes.',
  provider: 'That way of signing in is not available here.',
};

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const callbackUrl = await returnPathFor(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);

  const errorCode = typeof params.code === 'string' ? params.code : typeof params.error === 'string' ? params.error : null;
  const providerError = errorCode ? (PROVIDER_ERRORS[errorCode] ?? 'Sign-in failed. Please try again.') : null;
  // Where the forms post without JavaScript: this page, with the return path it settled on.
  const permalink = `/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`;

  return (
    <div className="page page--narrow">
      <h1 id="signin-heading">Sign in</h1>
      <p className="lede">Sign in to comment and to answer the article’s questions.</p>
      {params.signedOut === 'everywhere' ? (
        <p className="notice" role="status">
          You are signed out everywhere: on this browser and every other one that was signed in to your account.
        </p>
      ) : null}
      {providerError ? (
        <p className="notice notice--error" role="alert">
          {providerError}
        </p>
      ) : null}
      <SignInForm callbackUrl={callbackUrl} permalink={permalink} />
      <p className="form-footer">
        <Link href="/forgot-password">Forgot your password?</Link> · <Link href="/signin/link">Email me a sign-in link</Link>
      </p>
      <ProviderButtons providers={externalProviders()} callbackUrl={callbackUrl} action={signInWithProvider} permalink={permalink} />
      <p className="form-footer">
        New here? <Link href={`/signup?callbackUrl=${encodeURIComponent(callbackUrl)}`}>Create an account</Link>
      </p>
    </div>
  );
}
