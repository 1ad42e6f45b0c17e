import type { Metadata } from 'next';
import Link from 'next/link';
import { readUnsubscribeLink } from '@/app/_lib/notify/unsubscribe';
import { UnsubscribeForm } from './unsubscribe-form';

export const metadata: Metadata = { title: 'Unsubscribe', robots: { index: false } };

type Props = { searchParams: Promise<{ token?: string | string[] }> };

/*
 * Where the link in a notification leads: it shows what it will stop and changes nothing until a
 * button is pressed (mail scanners open links). No sign-in is needed: the token says whose mail.
 */
export default async function UnsubscribePage({ searchParams }: Props) {
  const given = (await searchParams).token;
  const token = typeof given === 'string' ? given : '';
  const link = readUnsubscribeLink(token);
  if (!link.ok) {
    return (
      <div className="page page--narrow">
        <h1>This unsubscribe link does not work</h1>
        <p className="notice notice--error" role="alert">
          {link.message}
        </p>
        <p>
          <Link href="/profile#notifications">Notification settings in your profile</Link>
        </p>
      </div>
    );
  }
  const digest = link.value.scope === 'digest';
  return (
    <div className="page page--narrow">
      <h1 id="unsubscribe-heading">Unsubscribe</h1>
      <p className="lede">
        {digest ? 'Stop the moderators’ digest, and every other notification email?' : `Stop emails about ${link.value.what}, or every notification email?`}
      </p>
      <UnsubscribeForm token={token} what={link.value.what} digest={digest} />
      <p>
        <Link href="/profile#notifications">Notification settings in your profile</Link>
      </p>
    </div>
  );
}
