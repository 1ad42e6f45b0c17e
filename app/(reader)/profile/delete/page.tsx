import type { Metadata } from 'next';
import Link from 'next/link';
import { ProviderButtons } from '@/app/_components/provider-buttons';
import { deleteAccountTarget, signedInRecently, FRESH_SIGN_IN_MINUTES } from '@/app/_lib/account/delete';
import { externalProviders } from '@/app/_lib/auth/config';
import { currentSessionToken, getCurrentUser } from '@/app/_lib/auth/session';
import { check } from '@/app/_lib/permissions';
import { exportProviders } from '@/db/queries/account-data';
import { getAccountState } from '@/db/queries/users';
import { signInWithProvider } from '../../signin/actions';
import { DeleteAnswer, DeleteForm } from './delete-form';

export const metadata: Metadata = { title: 'Delete your account', robots: { index: false } };

const PERMALINK = '/profile/delete';

/**
 * The confirmation step of "Delete my account": what goes and what stays, then the form. An
 * account without a password is asked for a recent sign-in instead, through its own provider
 * (or a mailed link), which brings the reader back here.
 */
export default async function DeleteAccountPage() {
  const user = await getCurrentUser();
  if (!user) {
    // Not a redirect: a post from a browser whose account was just deleted is answered here.
    return (
      <div className="page page--narrow">
        <h1 id="delete-heading">Delete your account</h1>
        <DeleteAnswer />
        <p>
          <Link href={`/signin?callbackUrl=${encodeURIComponent(PERMALINK)}`}>Sign in</Link> to delete your account.
        </p>
      </div>
    );
  }
  const refused = check(user, 'deleteAccount', deleteAccountTarget(user));
  const account = getAccountState(user.id) ?? { hasPassword: false, emailVerified: false };
  const token = await currentSessionToken();
  const fresh = account.hasPassword || signedInRecently(token?.userId === user.id ? token.authTime : null);
  const linked = new Set(exportProviders(user.id).map((p) => p.provider));
  const providers = externalProviders().filter((p) => linked.has(p.id));
  return (
    <div className="page page--narrow account-delete">
      <h1 id="delete-heading">Delete your account</h1>
      <p className="lede">This cannot be undone. Download your data from your profile first if you want a copy.</p>
      <h2>What is removed</h2>
      <ul>
        <li>Your account: your name, your email address ({user.email}) and the sign-in providers linked to it.</li>
        <li>Your votes, your answers to polls and the reports you made. Scores and poll totals no longer count them.</li>
        <li>Your notification settings, the discussions you follow and the emails waiting to be sent to you.</li>
        <li>Every browser signed in to the account is signed out. The address can be used for a new account.</li>
      </ul>
      <h2>What stays</h2>
      <p>
        The moderation log keeps its entries, with you replaced by an anonymous id. Your comments stay only if you choose to keep them, and then
        without your name.
      </p>
      {refused ? (
        <p className="notice notice--error" role="alert">
          {refused.message}
        </p>
      ) : fresh ? (
        <section aria-labelledby="delete-confirm-heading">
          <h2 id="delete-confirm-heading">Confirm</h2>
          <DeleteForm needsPassword={account.hasPassword} email={user.email ?? ''} />
        </section>
      ) : (
        <section aria-labelledby="delete-again-heading">
          <h2 id="delete-again-heading">Sign in again first</h2>
          <p className="notice" role="status">
            Your account has no password, so we ask for a recent sign-in instead: the last one must be within {FRESH_SIGN_IN_MINUTES} minutes. Sign
            in again and you come back here.
          </p>
          <ProviderButtons providers={providers} callbackUrl={PERMALINK} action={signInWithProvider} permalink={PERMALINK} />
          <p>
            Or <Link href="/signin/link">email me a sign-in link</Link>, open it, and come back to this page.
          </p>
        </section>
      )}
      <p>
        <Link href="/profile">Back to your profile</Link>
      </p>
    </div>
  );
}
