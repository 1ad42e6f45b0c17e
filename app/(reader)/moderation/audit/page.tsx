import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { readAuditLog } from '@/app/_lib/moderation/service';
import { getCurrentUser } from '@/app/_lib/auth/session';

export const metadata: Metadata = { title: 'Audit log', robots: { index: false } };

/** Every moderation action, newest first: who, what, when, why. Admins only. */
export default async function AuditPage() {
  const viewer = await getCurrentUser();
  if (!viewer) redirect('/signin?callbackUrl=%2Fmoderation%2Faudit');
  const log = await readAuditLog(viewer);
  if (!log.ok) {
    return (
      <div className="page">
        <h1>Audit log</h1>
        <p>{log.message}</p>
      </div>
    );
  }
  return (
    <div className="page page--wide">
      <h1>Audit log</h1>
      {/* On a phone the table scrolls in its own box, by touch or keyboard, and the page does not. */}
      <div className="table-scroll" role="region" aria-label="Audit log entries" tabIndex={0}>
        <table className="audit">
          <caption className="visually-hidden">Moderation actions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Target</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {log.value.map((entry) => (
              <tr key={entry.id}>
                <td>
                  <time dateTime={entry.createdAt.toISOString()}>{entry.createdAt.toISOString().replace('T', ' ').slice(0, 19)}</time>
                </td>
                <td>{entry.actorName}</td>
                <td>{entry.action}</td>
                <td>
                  {entry.targetType} {entry.targetId}
                </td>
                <td>{entry.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {log.value.length === 0 ? <p>No moderation actions yet.</p> : null}
    </div>
  );
}
