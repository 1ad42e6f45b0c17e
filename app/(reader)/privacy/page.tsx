import type { Metadata } from 'next';
import Link from 'next/link';
import { settings } from '@/app/_lib/config.mjs';
import { site } from '@/app/_lib/content/site';
import { duration, retention } from '@/app/_lib/retention';
import { pageAlternates } from '@/app/_lib/feeds/links';

export const metadata: Metadata = { title: 'Privacy', alternates: pageAlternates('/privacy') };

/*
 * What the site keeps about a reader, for how long, and how to take it or delete it. Every period
 * comes from the objects the scheduled jobs delete by (app/_lib/retention.ts, the settings), read
 * when the page is drawn (it is rendered per request, under the (reader) layout), so it says what
 * this server is configured to do. A plain page: it needs no JavaScript.
 */
export default function PrivacyPage() {
  const kept = retention();
  const { BACKUP_INTERVAL_HOURS, BACKUP_KEEP } = settings();
  const backupsSpan = duration(BACKUP_INTERVAL_HOURS * BACKUP_KEEP * 60 * 60 * 1000);
  return (
    <div className="page">
      <h1>Privacy</h1>
      <p className="lede">
        What {site.name} keeps about you, for how long, and how to take a copy or delete it. The periods below are the ones this site runs with: the
        scheduled clean-up deletes by the same settings.
      </p>

      <section aria-labelledby="privacy-your-data">
        <h2 id="privacy-your-data">Your data, and how to take it or delete it</h2>
        <ul>
          <li>
            <Link href="/profile#your-data">Download my data</Link>, on your profile, gives you one file with your account, your sign-in providers, your
            comments with every version, your votes, poll answers, reports, subscriptions and drafts.
          </li>
          <li>
            <Link href="/profile#delete-account">Delete my account</Link>, on your profile, removes your account, your sign-ins, your drafts and the
            rate-limit counters that hold your address or email. You choose whether your comments are removed or stay, signed “a former reader”.
            The moderators’ log keeps what was done, with you replaced by an anonymous number.
          </li>
        </ul>
      </section>

      <section aria-labelledby="privacy-kept">
        <h2 id="privacy-kept">What is kept, and for how long</h2>
        <dl className="privacy-list">
          <dt>Your account</dt>
          <dd>
            Your name, email address and whether you confirmed it, a hash of your password if you set one (never the password), your role, when you
            joined and your choice about reply emails; for a sign-in provider, its name, your id there and the tokens it gave. Kept until you delete
            your account.
          </dd>

          <dt>Your comments and their edit history</dt>
          <dd>
            Each comment’s text, when it was written, and every earlier version with who changed it and when. Kept while your account is, or, if you
            delete your account and keep your comments, as those of “a former reader”. When you delete a comment its text and history go at once
            (“Undo” keeps a copy for {duration(kept.undoMs)}); replies to it stay under a placeholder.
          </dd>

          <dt>Comments a moderator rejected</dt>
          <dd>
            Kept, hidden, for <strong>{duration(kept.rejectedCommentMs)}</strong> after the moderator’s decision, then emptied: the text and its
            earlier versions are deleted, and only an empty hidden comment stays so that replies keep their place. A comment hidden by readers’
            reports stays as it is until a moderator decides on it.
          </dd>

          <dt>Votes, poll answers, reports and subscriptions</dt>
          <dd>
            The comments you voted for, your answer to each poll, the reports you made (the reason and what you wrote), the discussions you follow and
            the threads you muted. Kept until you change them or delete your account.
          </dd>

          <dt>Drafts</dt>
          <dd>
            What you typed before going to sign in, kept with a random cookie so the box is filled again when you come back. Deleted after{' '}
            <strong>{duration(kept.draftMs)}</strong>, or as soon as you post it. While you type, your browser also keeps the text of each comment box
            on your device until you post or discard it, or sign out.
          </dd>

          <dt>Sign-ins</dt>
          <dd>
            Your browser holds a signed session cookie. For each sign-in the site keeps how you signed in, your browser and system as your browser
            names them, the network you signed in from (the first three parts of an IPv4 address, the first three groups of an IPv6 one, never the
            whole address) and when it was last used, so that your profile can list your sign-ins and you can sign each out. Kept until you sign out of it,
            delete your account, or leave it unused for <strong>{duration(kept.sessionIdleMs)}</strong>.
          </dd>

          <dt>Mail sent to you</dt>
          <dd>
            Each message (your address, the subject and the text) is kept for <strong>{duration(kept.sentMailMs)}</strong> after it was delivered (one
            that could not be delivered stays until an administrator deals with it). The links we email you are stored only as a hash, with the address they went to, and deleted {duration(kept.mailedLinkAfterExpiryMs)}{' '}
            after they expire. A message to another reader that quotes your comment or names you (a reply notification, a moderators’ digest) is
            kept the same way, and deleted with your account, sent or not. The record of which replies and comments a message told you about is deleted{' '}
            {duration(kept.handledNotificationMs)} after it was sent.
          </dd>

          <dt>Your network address</dt>
          <dd>
            Your address is not stored with your account or your comments. To stop abuse, the site counts attempts per address when someone signs in,
            signs up, asks for an emailed link or keeps a draft; those counters hold the address. Each is deleted when its time window ends, and
            never kept longer than <strong>{duration(kept.addressKeyMs)}</strong>.
          </dd>

          <dt>Backups</dt>
          <dd>
            {BACKUP_INTERVAL_HOURS > 0
              ? `The database is copied every ${duration(BACKUP_INTERVAL_HOURS * 60 * 60 * 1000).replace(/^1 /, '')} and the last ${BACKUP_KEEP} copies are kept, so something deleted leaves the backups within ${backupsSpan}.`
              : 'This site makes no scheduled backups of its database.'}
          </dd>
        </dl>
      </section>
    </div>
  );
}
