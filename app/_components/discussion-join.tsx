import Link from 'next/link';
import type { UserSummary } from '@/db/queries/users';
import { articlePath } from '@/app/_lib/site';

/** How a reader joins the discussion: a sign-in call to action, or who they are commenting as. */
export function DiscussionJoin({ viewer, slug }: { viewer: UserSummary | null; slug: string }) {
  if (viewer) {
    return (
      <p className="discussion__as">
        Commenting as <strong>{viewer.name}</strong>. <Link href="/profile">Change your display name</Link>
      </p>
    );
  }
  const returnTo = encodeURIComponent(`${articlePath(slug)}#discussion`);
  return (
    <div className="join">
      <p className="join__text">Join the discussion: answer the article’s questions and reply to other readers.</p>
      <p className="join__actions">
        <Link className="button button--primary" href={`/signin?callbackUrl=${returnTo}`}>
          Sign in to comment
        </Link>
        <Link className="button button--quiet" href={`/signup?callbackUrl=${returnTo}`}>
          Create an account
        </Link>
      </p>
    </div>
  );
}
