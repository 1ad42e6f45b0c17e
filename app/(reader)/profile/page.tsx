import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getCurrentUser } from '@/app/_lib/auth/session';
import { check } from '@/app/_lib/permissions';
import { myNotifications } from '@/app/_lib/notify/subscriptions';
import { DiscussionList, ReplyMailForm } from './notification-forms';
import { ProfileForm } from './profile-form';

export const metadata: Metadata = { title: 'Your profile', robots: { index: false } };

export default async function ProfilePage() {
  const user = await getCurrentUser();
  if (!user) redirect('/signin?callbackUrl=%2Fprofile');
  const refused = check(user, 'editProfile');
  return (
    <div className="page page--narrow">
      <h1 id="profile-heading">Your profile</h1>
      {user.email ? <p className="lede">Signed in with {user.email}.</p> : null}
      {refused ? (
        <p className="notice notice--error" role="status">
          {refused.message}
        </p>
      ) : (
        <ProfileForm name={user.name} />
      )}
      <Notifications user={user} />
    </div>
  );
}

function Notifications({ user }: { user: Parameters<typeof myNotifications>[0] }) {
  const mine = myNotifications(user);
  return (
    <section id="notifications" aria-labelledby="notifications-heading" className="profile-section">
      <h2 id="notifications-heading">Notifications</h2>
      {mine.verified ? null : <p className="notice">Emails go only to a verified address; yours is not verified yet.</p>}
      <ReplyMailForm on={mine.notifyReplies} />
      <h3 id="discussions-heading">Discussions you follow</h3>
      <DiscussionList discussions={mine.discussions} />
    </section>
  );
}
