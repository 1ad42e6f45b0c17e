import type { Metadata } from 'next';
import Link from 'next/link';
import type { EmailLink } from '@/db/queries/email-tokens';
import { describeLink } from '@/app/_lib/auth/email-links';
import { site } from '@/app/_lib/content/site';
import { LinkForm } from './link-form';

export const metadata: Metadata = { title: 'Your link', robots: { index: false } };

/** What each kind of link does, said before the reader presses its one button. */
function describe(link: EmailLink): { heading: string; text: string; button: string; pendingText: string } {
  switch (link.purpose) {
    case 'signup':
      return {
        heading: 'Create your account',
        text: `Create the account “${link.payload.name ?? 'Reader'}” on ${site.name} for ${link.email}, and sign in.`,
        button: 'Create my account',
        pendingText: 'Creating your account…',
      };
    case 'signin':
      return { heading: 'Sign in', text: `Sign in to ${site.name} as ${link.email}.`, button: 'Sign in', pendingText: 'Signing in…' };
    case 'verify':
      return { heading: 'Confirm your email address', text: `Confirm that ${link.email} is your address.`, button: 'Confirm my address', pendingText: 'Confirming…' };
    case 'email-change':
      return { heading: 'Confirm your new email address', text: `Make ${link.email} the address of your account.`, button: 'Use this address', pendingText: 'Changing your address…' };
    case 'reset':
      return {
        heading: 'Choose a new password',
        text: `Choose a new password for ${link.email}. Every other browser signed in to this account will be signed out.`,
        button: 'Set password and sign in',
        pendingText: 'Setting your password…',
      };
  }
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Opening the link changes nothing (mail scanners open links too): the button does. */
export default async function EmailLinkPage({ searchParams }: Props) {
  const token = (await searchParams).token;
  const seen = typeof token === 'string' && token.length <= 200 ? describeLink(token) : describeLink('');
  if (!seen.ok) {
    return (
      <div className="page page--narrow">
        <h1 id="link-heading">This link cannot be used</h1>
        <p className="notice notice--error" role="alert">
          {seen.message}
        </p>
        <ul className="link-list">
          <li>
            <Link href="/signin/link">Email me a new sign-in link</Link>
          </li>
          <li>
            <Link href="/forgot-password">Reset my password</Link>
          </li>
          <li>
            <Link href="/signup">Create an account</Link>
          </li>
        </ul>
      </div>
    );
  }
  const what = describe(seen.value);
  return (
    <div className="page page--narrow">
      <h1 id="link-heading">{what.heading}</h1>
      <p className="lede">{what.text}</p>
      <LinkForm token={String(token)} button={what.button} pendingText={what.pendingText} askPassword={seen.value.purpose === 'reset'} email={seen.value.email} />
    </div>
  );
}
