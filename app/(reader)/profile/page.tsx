import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getAccountState } from '@/db/queries/users';
import { getCurrentSession } from '@/app/_lib/auth/session';
import { mySessions } from '@/app/_lib/auth/sessions';
import { exactTime } from '@/app/_components/timestamp';
import { check } from '@/app/_lib/permissions';
import { myNotifications } from '@/app/_lib/notify/subscriptions';
import { DiscussionList, ReplyMailForm } from './notification-forms';
import { EmailForm, PasswordForm, VerifyForm } from './account-forms';
import { ProfileForm } from './profile-form';
import { SessionList, SignOutEverywhere, type SessionItem } from './session-forms';
import { ExportForm } from './export-form';
import { ClaimForm } from './claim-form';
import { claimOffer } from '@/app/_lib/account/claim';
import Link from 'next/link';
import { countOf } from '@/app/_lib/format';

export const metadata: Metadata = { title: 'Your profile', robots: { index: false } };

/** What a mailed link or a password change that redirected here did. */
const DONE: Record<string, string> = {
  verified: 'Your email address is confirmed.',
  email: 'Your email address was changed. The old address was told.',
  password: 'Your password was changed. Every other browser signed in to your account was signed out.',
};

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ProfilePage({ searchParams }: Props) {
  const session = await getCurrentSession();
  if (!session) redirect('/signin?callbackUrl=%2Fprofile');
  const { user } = session;
  const params = await searchParams;
  const done = params.done;
  const claimed = Number(params.count);
  const doneMessage =
    done === 'claimed' && Number.isInteger(claimed) && claimed > 0
      ? `${countOf(claimed, 'imported comment')} now ${claimed === 1 ? 'shows' : 'show'} your name.`
      : typeof done === 'string'
        ? DONE[done]
        : undefined;
  const refused = check(user, 'editProfile');
  const account = getAccountState(user.id) ?? { hasPassword: false, emailVerified: false };
  const offer = claimOffer(user);
  return (
    <div className="page page--narrow">
      <h1 id="profile-heading">Your profile</h1>
      {user.email ? <p className="lede">Signed in with {user.email}.</p> : null}
      {doneMessage ? (
        <p className="notice" role="status">
          {doneMessage}
        </p>
      ) : null}
      {refused ? (
        <p className="notice notice--error" role="status">
          {refused.message}
        </p>
      ) : (
        <ProfileForm name={user.name} />
      )}
      {user.email && !account.emailVerified ? (
        <section aria-labelledby="verify-heading">
          <h2 id="verify-heading">Confirm your email address</h2>
          <p>{user.email} is not confirmed yet. Until it is, you receive no notifications.</p>
          <VerifyForm />
        </section>
      ) : null}
      {offer ? (
        <section id="imported" aria-labelledby="imported-heading" className="profile-section">
          <h2 id="imported-heading">Comments imported under your address</h2>
          <p>
            {offer.comments === 1 ? 'One comment' : `${offer.comments} comments`} from this site’s earlier comment system {offer.comments === 1 ? 'was' : 'were'} written
            with your email address, as {offer.names.map((n) => `“${n}”`).join(', ')}. Claim {offer.comments === 1 ? 'it' : 'them'} to show {offer.comments === 1 ? 'it' : 'them'}{' '}
            under your name, and to edit or delete {offer.comments === 1 ? 'it' : 'them'} like your own.
          </p>
          <ClaimForm comments={offer.comments} />
        </section>
      ) : null}
      <section aria-labelledby="email-heading">
        <h2 id="email-heading">Email address</h2>
        <EmailForm />
      </section>
      <section aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        {account.hasPassword ? null : <p>Your account has no password yet: you sign in through a provider or a mailed link. You can set one here.</p>}
        <PasswordForm hasPassword={account.hasPassword} email={user.email ?? ''} />
      </section>
      <Notifications user={user} />
      <Sessions user={user} sessionId={session.sessionId} />
      <section id="your-data" aria-labelledby="data-heading" className="profile-section">
        <h2 id="data-heading">Your data</h2>
        <p>
          One JSON file of everything stored about you: your account, comments with their earlier versions, votes, poll answers, reports, the
          discussions you follow and your notification settings.
        </p>
        <ExportForm />
      </section>
      <section id="delete-account" aria-labelledby="delete-account-heading" className="profile-section">
        <h2 id="delete-account-heading">Delete your account</h2>
        <p>Your account goes for good. You choose whether your comments are removed or kept without your name.</p>
        <p>
          <Link href="/profile/delete">Delete my account…</Link>
        </p>
      </section>
    </div>
  );
}

function Notifications({ user }: { user: Parameters<typeof myNotifications>[0] }) {
  const mine = myNotifications(user);
  return (
    <section id="notifications" aria-labelledby="notifications-heading" className="profile-section">
      <h2 id="notifications-heading">Notifications</h2>
      {mine.verified ? null : <p className="notice">Emails go only to a confirmed address; yours is not confirmed yet (see above).</p>}
      <ReplyMailForm on={mine.notifyReplies} />
      <h3 id="discussions-heading">Discussions you follow</h3>
      <DiscussionList discussions={mine.discussions} />
    </section>
  );
}

const moment = (at: Date) => ({ iso: at.toISOString(), exact: exactTime(at) });

function Sessions({ user, sessionId }: { user: Parameters<typeof mySessions>[0]; sessionId: string }) {
  const sessions: SessionItem[] = mySessions(user, sessionId).map((s) => ({ ...s, created: moment(s.createdAt), lastSeen: moment(s.lastSeenAt) }));
  return (
    <section id="sessions" aria-labelledby="sessions-heading" className="profile-section">
      <h2 id="sessions-heading">Where you are signed in</h2>
      <p>Each browser signed in to your account. Signing one out ends it at its next page or action, even if someone copied its cookie.</p>
      <SessionList sessions={sessions} />
      <SignOutEverywhere />
    </section>
  );
}
