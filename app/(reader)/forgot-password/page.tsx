import type { Metadata } from 'next';
import Link from 'next/link';
import { EmailRequestForm } from '@/app/_components/email-request-form';
import { requestPasswordReset } from '../signin/actions';
import { pageAlternates } from '@/app/_lib/feeds/links';

export const metadata: Metadata = { title: 'Forgot your password?', alternates: pageAlternates('/forgot-password') };

export default function ForgotPasswordPage() {
  return (
    <div className="page page--narrow">
      <h1 id="forgot-heading">Forgot your password?</h1>
      <p className="lede">Enter your account’s email address and we will send you a link to choose a new password.</p>
      <EmailRequestForm action={requestPasswordReset} permalink="/forgot-password" labelledBy="forgot-heading" button="Email me a reset link" pendingText="Sending…" />
      <p className="form-footer">
        <Link href="/signin">Back to sign in</Link>
      </p>
    </div>
  );
}
