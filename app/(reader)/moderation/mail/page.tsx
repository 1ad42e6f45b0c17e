import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getCurrentUser } from '@/app/_lib/auth/session';
import { readOutbox } from '@/app/_lib/mail/admin';
import { ActionForm } from '../action-form';
import { retryMailAction } from './actions';

export const metadata: Metadata = { title: 'Mail', robots: { index: false } };

const STATES = [
  ['queued', 'Waiting to be sent'],
  ['sending', 'Being sent'],
  ['sent', 'Sent (last 30 days)'],
  ['failed', 'Failed'],
] as const;

const utc = (date: Date) => date.toISOString().replace('T', ' ').slice(0, 19);

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** What "Send again" did, from the address it returns to. */
function queuedMessage(value: string | string[] | undefined): string | null {
  const count = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : 0;
  if (count === 0) return null;
  return count === 1 ? 'Queued 1 message: it is being sent again.' : `Queued ${count} messages: they are being sent again.`;
}

/** The outbox for admins: counts by state, and the messages given up on, each with "Send again". */
export default async function MailPage({ searchParams }: Props) {
  const viewer = await getCurrentUser();
  if (!viewer) redirect('/signin?callbackUrl=%2Fmoderation%2Fmail');
  const outbox = readOutbox(viewer);
  if (!outbox.ok) {
    return (
      <div className="page">
        <h1>Mail</h1>
        <p>{outbox.message}</p>
      </div>
    );
  }
  const { counts, failed } = outbox.value;
  const queued = queuedMessage((await searchParams).queued);
  return (
    <div className="page page--wide">
      <h1>Mail</h1>
      <p className="lede">
        What the site has mailed. A message that SMTP keeps refusing is tried again with growing waits, then marked failed and listed here.
      </p>
      {queued ? (
        <p className="notice" role="status">
          {queued}
        </p>
      ) : null}
      <dl className="mail-counts">
        {STATES.map(([state, label]) => (
          <div key={state}>
            <dt>{label}</dt>
            <dd>{counts[state]}</dd>
          </div>
        ))}
      </dl>

      <section aria-labelledby="failed-heading">
        <h2 id="failed-heading">Failed ({failed.length})</h2>
        {failed.length === 0 ? (
          <p>No failed mail.</p>
        ) : (
          <>
            <ActionForm action={retryMailAction} hidden={{ id: 'all' }} submit="Send all again" pendingText="Queueing…" permalink="/moderation/mail" />
            <div className="table-scroll" role="region" aria-label="Failed messages" tabIndex={0}>
              <table className="audit">
                <caption className="visually-hidden">Failed messages, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Queued (UTC)</th>
                    <th scope="col">To</th>
                    <th scope="col">Subject</th>
                    <th scope="col">Tries</th>
                    <th scope="col">Last error</th>
                    <th scope="col">
                      <span className="visually-hidden">Action</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {failed.map((mail) => (
                    <tr key={mail.id} id={`mail-${mail.id}`}>
                      <td>
                        <time dateTime={mail.createdAt.toISOString()}>{utc(mail.createdAt)}</time>
                      </td>
                      <td>{mail.to}</td>
                      <td>{mail.subject}</td>
                      <td>{mail.attempts}</td>
                      <td>{mail.lastError ?? ''}</td>
                      <td>
                        <ActionForm
                          action={retryMailAction}
                          hidden={{ id: mail.id }}
                          submit="Send again"
                          pendingText="Queueing…"
                          permalink={`/moderation/mail#mail-${mail.id}`}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </div>
  );
}
