import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { ProviderButtons } from '@/app/_components/provider-buttons';
import { externalProviders } from '@/app/_lib/auth/config';
import { returnPathFor } from '@/app/_lib/auth/return-path';
import { getCurrentUser } from '@/app/_lib/auth/session';
import { signInWithProvider } from '../signin/actions';
import { SignUpForm } from './signup-form';
import { pageAlternates } from '@/app/_lib/feeds/links';

// Indexable, like /signin, so a search for joining the site finds it; every ?callbackUrl= variant
// names /signup as canonical, so the variants are not indexed as pages of their own.
export const metadata: Metadata = {
  title: 'Create an account',
  description: 'Create an account to comment on the news and answer the articles’ questions.',
  alternates: pageAlternates('/signup'),
};

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignUpPage({ searchParams }: Props) {
  const callbackUrl = await returnPathFor((await searchParams).callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  // Where the forms post without JavaScript: this page, with the return path it settled on.
  const permalink = `/signup?callbackUrl=${encodeURIComponent(callbackUrl)}`;
  return (
    <div className="page page--narrow">
      <h1 id="signup-heading">Create an account</h1>
      <p className="lede">One account to comment, reply and answer the article’s questions.</p>
      <SignUpForm callbackUrl={callbackUrl} permalink={permalink} />
      <ProviderButtons providers={externalProviders()} callbackUrl={callbackUrl} action={signInWithProvider} permalink={permalink} />
      <p className="form-footer">
        Already have an account? <Link href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`}>Sign in</Link>
      </p>
    </div>
  );
}
