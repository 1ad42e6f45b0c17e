import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import type { QueueItem } from '@/db/queries/moderation';
import type { UserSummary } from '@/db/queries/users';
import { Timestamp } from '@/app/_components/timestamp';
import { can, commentPermissions } from '@/app/_lib/permissions';
import { markdownToText, renderMarkdown } from '@/app/_lib/content/markdown';
import { readModerationQueue } from '@/app/_lib/moderation/service';
import { moderationSettings } from '@/app/_lib/moderation/settings';
import { getCurrentUser } from '@/app/_lib/auth/session';
import { articlePath } from '@/app/_lib/content/site';
import { commentActionHref, commentHistoryHref } from '@/app/_lib/comments/view';
import { ARTICLE_POLICY_LABELS, PREMODERATION_POLICIES, REPORT_REASON_LABELS } from '@/db/enums';
import { reportSummary } from '@/app/_lib/moderation/report-summary';
import { ActionForm } from './action-form';
import { BulkForm } from './bulk-form';
import {
  approveAction,
  banAction,
  bulkDecideAction,
  closeAction,
  featureAction,
  policyAction,
  rejectAction,
  restoreAction,
  unbanAction,
} from './actions';

/** The bulk form's id: each entry's checkbox joins it with `form=`. */
const BULK_FORM = 'queue-bulk';

export const metadata: Metadata = { title: 'Moderation', robots: { index: false } };

const WHY: Record<string, string> = {
  premoderation: 'Held: every comment on this article is reviewed first',
  'first comment': 'Held: first comment from a new reader',
  links: 'Held: contains several links',
  words: 'Held: matches the word list',
  'unverified email': 'Held: the reader has not confirmed their email address',
  reports: 'Hidden: reported by several readers',
  imported: 'Held: imported, it was awaiting moderation on the old site',
  'imported-spam': 'Held: imported, the old site marked it as spam',
  'imported-trash': 'Held: imported, it was in the old site’s trash',
};

function why(item: QueueItem): string {
  if (item.status === 'visible') return `Shown, reported ${item.reportCount} time${item.reportCount === 1 ? '' : 's'}`;
  return WHY[item.moderationReason ?? ''] ?? (item.status === 'pending' ? 'Held for review' : 'Hidden');
}

/**
 * What a queued comment said before its current text, so a moderator deciding on an edit that
 * was held (or reported) sees what it replaced. The history page has each change word by word.
 */
function EarlierVersions({ item }: { item: QueueItem }) {
  const count = item.earlier.length;
  return (
    <details className="queue__versions comment__details">
      <summary>
        Edited: {count} earlier {count === 1 ? 'version' : 'versions'}
      </summary>
      <ol aria-label={`Earlier versions of ${item.author.name}’s comment, oldest first`}>
        {item.earlier.map((version, index) => (
          <li key={index}>
            <p className="queue__why">
              {index === 0 ? 'Written' : 'Edited'} <Timestamp at={version.writtenAt} /> {version.writtenAs === 'author' ? 'by its author' : `by a moderator: “${version.reason}”`}
            </p>
            <div className="comment__body" dangerouslySetInnerHTML={{ __html: version.html }} />
          </li>
        ))}
      </ol>
      <p>
        <Link href={commentHistoryHref(item.article.slug, item.id)}>Every change, word by word</Link>
      </p>
    </details>
  );
}

function QueueEntry({ item, viewer }: { item: QueueItem; viewer: UserSummary }) {
  const id = { commentId: item.id };
  // The queue acts on any article, closed or not: moderation is not a reader's write.
  const permalink = `/moderation#queue-${item.id}`;
  const may = commentPermissions(viewer, null, { authorId: item.author.id, status: item.status });
  const decidable = may.approve === null || may.restore === null || may.reject === null;
  return (
    <li id={`queue-${item.id}`} className="queue__item">
      <article aria-labelledby={`queue-${item.id}-title`}>
        <h3 id={`queue-${item.id}-title`} className="queue__title">
          {decidable ? (
            <input
              type="checkbox"
              name="commentId"
              value={item.id}
              form={BULK_FORM}
              className="queue__select"
              aria-label={`Select: ${item.author.name} on ${item.article.title}`}
            />
          ) : null}
          {item.author.name} on <Link href={`${articlePath(item.article.slug)}?comment=${item.id}#comment-${item.id}`}>{item.article.title}</Link>
        </h3>
        <p className="queue__why">
          {why(item)} · <Timestamp at={item.createdAt} />
          {item.author.banned ? ' · author is banned' : ''}
        </p>
        {item.parent ? (
          <blockquote className="queue__context">
            In reply to {item.parent.authorName}: “{markdownToText(item.parent.markdown).slice(0, 200)}”
          </blockquote>
        ) : null}
        <div className="comment__body" dangerouslySetInnerHTML={{ __html: renderMarkdown(item.markdown, 'comment') }} />
        {item.reports.length ? (
          <details className="queue__reports comment__details">
            <summary>{reportSummary(item.reports)}</summary>
            <ul aria-label="Reports">
              {item.reports.map((report, index) => (
                <li key={index}>
                  {REPORT_REASON_LABELS[report.reason]} · {report.reporterName} · <Timestamp at={report.createdAt} />
                  {report.details ? `: “${report.details}”` : ''}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        {item.earlier.length ? <EarlierVersions item={item} /> : null}
        <div className="queue__actions">
          {may.editAsModerator === null ? <Link href={commentActionHref(item.article.slug, item.id, 'moderate')}>Edit as a moderator</Link> : null}
          {may.restore === null ? <ActionForm action={restoreAction} permalink={permalink} hidden={id} submit="Restore" pendingText="Restoring…" /> : null}
          {may.approve === null ? <ActionForm action={approveAction} permalink={permalink} hidden={id} submit="Approve" pendingText="Approving…" /> : null}
          {may.reject === null ? (
            <ActionForm action={rejectAction} permalink={permalink} hidden={id} submit="Reject" pendingText="Rejecting…">
              <label className="mod-form__field">
                Reason <input name="reason" maxLength={500} />
              </label>
            </ActionForm>
          ) : null}
          {may.feature === null ? (
            <ActionForm action={featureAction} permalink={permalink} hidden={{ ...id, featured: item.featured ? '0' : '1' }} submit={item.featured ? 'Remove editor’s pick' : 'Feature'} pendingText="Saving…" />
          ) : null}
          {item.author.banned || !can(viewer, 'ban', { user: item.author }) ? null : (
            <ActionForm
              action={banAction}
              permalink={permalink}
              hidden={{ userId: item.author.id }}
              confirm={{
                label: `Ban ${item.author.name}…`,
                text: `${item.author.name} will not be able to comment, reply, vote, answer or report until the ban is lifted.`,
              }}
              submit={`Yes, ban ${item.author.name}`}
              pendingText="Banning…"
              className="mod-form--stack"
            >
              <label className="mod-form__field">
                Reason (the reader sees it) <input name="reason" required maxLength={500} />
              </label>
              <label className="mod-form__field">
                Until (optional) <input name="until" type="date" />
              </label>
              <label className="mod-form__check">
                <input name="hideComments" type="checkbox" /> Also hide their comments
              </label>
            </ActionForm>
          )}
        </div>
      </article>
    </li>
  );
}

export default async function ModerationPage() {
  const viewer = await getCurrentUser();
  if (!viewer) redirect('/signin?callbackUrl=%2Fmoderation');
  const data = await readModerationQueue(viewer);
  if (!data.ok) {
    return (
      <div className="page">
        <h1>Moderation</h1>
        <p>{data.code === 'forbidden:moderator' ? 'Only moderators can see this page.' : data.message}</p>
      </div>
    );
  }
  const { queue, banned, articles } = data.value;
  const settings = moderationSettings();
  return (
    <div className="page page--wide">
      <h1>Moderation</h1>
      <p className="lede">
        Held and reported comments, oldest first. Site-wide pre-moderation: <strong>{settings.premoderation}</strong>; comments are hidden
        after {settings.reportThreshold} reports.{' '}
        {can(viewer, 'readAuditLog') ? <Link href="/moderation/audit">Audit log</Link> : null}{' '}
        {can(viewer, 'manageMail') ? <Link href="/moderation/mail">Mail</Link> : null}
      </p>

      <section aria-labelledby="queue-heading">
        <h2 id="queue-heading">Queue ({queue.length})</h2>
        {queue.length === 0 ? (
          <p>Nothing waits for review.</p>
        ) : (
          <>
            <BulkForm id={BULK_FORM} action={bulkDecideAction} />
            <ol className="queue">
              {queue.map((item) => (
                <QueueEntry key={item.id} item={item} viewer={viewer} />
              ))}
            </ol>
          </>
        )}
      </section>

      <section aria-labelledby="articles-heading">
        <h2 id="articles-heading">Discussions</h2>
        <ul className="mod-articles">
          {articles.map((article) => (
            <li key={article.slug} id={`policy-${article.slug}`}>
              <h3 className="queue__title">
                <Link href={articlePath(article.slug)}>{article.title}</Link> {article.closedAt ? '(closed)' : ''}
              </h3>
              <div className="queue__actions">
                {can(viewer, 'setPolicy') ? (
                  <ActionForm action={policyAction} permalink={`/moderation#policy-${article.slug}`} hidden={{ slug: article.slug }} submit="Save policy" pendingText="Saving…">
                    <label className="mod-form__field">
                      Pre-moderation{' '}
                      <select name="moderation" defaultValue={article.moderation}>
                        <option value="site">Site default ({settings.premoderation})</option>
                        {PREMODERATION_POLICIES.map((policy) => (
                          <option key={policy} value={policy}>
                            {ARTICLE_POLICY_LABELS[policy]}
                          </option>
                        ))}
                      </select>
                    </label>
                  </ActionForm>
                ) : null}
                {can(viewer, 'close') ? (
                  <ActionForm
                    action={closeAction}
                    permalink={`/moderation#policy-${article.slug}`}
                    hidden={{ slug: article.slug, closed: article.closedAt ? '0' : '1' }}
                    confirm={
                      article.closedAt
                        ? { label: 'Reopen discussion…', text: 'Readers can comment, reply, vote and answer again.' }
                        : { label: 'Close discussion…', text: 'Readers keep reading it, but no one can comment, reply, vote or answer until it is reopened.' }
                    }
                    submit={article.closedAt ? 'Yes, reopen the discussion' : 'Yes, close the discussion'}
                    pendingText="Saving…"
                  />
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="banned-heading">
        <h2 id="banned-heading">Banned readers ({banned.length})</h2>
        {banned.length === 0 ? (
          <p>No one is banned.</p>
        ) : (
          <ul className="mod-banned">
            {banned.map((user) => (
              <li key={user.id} id={`banned-${user.id}`}>
                <strong>{user.name}</strong> {user.email ? `(${user.email})` : ''}: {user.banReason}
                {user.bannedUntil ? `, until ${user.bannedUntil.toISOString().slice(0, 10)}` : ''}
                {can(viewer, 'unban') ? (
                  <ActionForm action={unbanAction} permalink={`/moderation#banned-${user.id}`} hidden={{ userId: user.id }} submit={`Unban ${user.name}`} pendingText="Lifting…" />
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
