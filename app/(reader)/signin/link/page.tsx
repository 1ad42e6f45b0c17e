import type { Metadata } from 'next';
import Link from 'next/link';
import { EmailRequestForm } from '@/app/_components/email-request-form';
import { requestSignInLink } from '../actions';
import { pageAlternates } from '@/app/_lib/feeds/links';

export const metadata: Metadata = { title: 'Email me a sign-in link', alternates: pageAlternates('/signin/link') };

export default function SignInLinkPage() {
  return (
    <div className="page page--narrow">
      <h1 id="signin-link-heading">Email me a sign-in link</h1>
      <p className="lede">No password needed: we email you a link that signs you in once, within 15 minutes.</p>
      <EmailRequestForm action={requestSignInLink} permalink="/signin/link" labelledBy="signin-link-heading" button="Email me a link" pendingText="Sending…" />
      <p className="form-footer">
        <Link href="/signin">Sign in with a password</Link>
      </p>
    </div>
  );
}
