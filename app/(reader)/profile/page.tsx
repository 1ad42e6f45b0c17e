import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getCurrentUser } from '@/app/_lib/auth/session';
import { check } from '@/app/_lib/permissions';
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
    </div>
  );
}
