import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { ARTICLE_POLICY_LABELS, PREMODERATION_POLICIES } from '@/db/enums';
import { getArticleRef, listArticles } from '@/db/queries/articles';
import { listBannedUsers, listModerationQueue, type QueueItem } from '@/db/queries/moderation';
import { RelativeTime } from '@/app/_components/relative-time';
import { isAdmin, isModerator } from '@/app/_lib/comments/policy';
import { markdownToText, renderMarkdown } from '@/app/_lib/content/markdown';
import { moderationSettings } from '@/app/_lib/moderation/settings';
import { getCurrentUser } from '@/app/_lib/auth/session';
import { articlePath } from '@/app/_lib/content/site';
import { ActionForm } from './action-form';
import { approveAction, banAction, closeAction, featureAction, policyAction, rejectAction, restoreAction, unbanAction } from './actions';

export const metadata: Metadata = { title: 'Moderation', robots: { index: false } };

const WHY: Record<string, string> = {
  premoderation: 'Held: every comment on this article is reviewed first',
  'first comment': 'Held: first comment from a new reader',
  links: 'Held: contains several links',
  words: 'Held: matches the word list',
  reports: 'Hidden: reported by several readers',
};

function why(item: QueueItem): string {
  if (item.status === 'visible') return `Shown, reported ${item.reportCount} time${item.reportCount === 1 ? '' : 's'}`;
  return WHY[item.moderationReason ?? ''] ?? (item.status === 'pending' ? 'Held for review' : 'Hidden');
}

function QueueEntry({ item }: { item: QueueItem }) {
  const id = { commentId: item.id };
  return (
    <li className="queue__item">
      <article aria-labelledby={`queue-${item.id}-title`}>
        <h3 id={`queue-${item.id}-title`} className="queue__title">
          {item.author.name} on <Link href={`${articlePath(item.article.slug)}?comment=${item.id}#comment-${item.id}`}>{item.article.title}</Link>
        </h3>
        <p className="queue__why">
          {why(item)} · <RelativeTime iso={item.createdAt.toISOString()} />
          {item.author.banned ? ' · author is banned' : ''}
        </p>
        {item.parent ? (
          <blockquote className="queue__context">
            In reply to {item.parent.authorName}: “{markdownToText(item.parent.markdown).slice(0, 200)}”
          </blockquote>
        ) : null}
        <div className="comment__body" dangerouslySetInnerHTML={{ __html: renderMarkdown(item.markdown, 'comment') }} />
        {item.reports.length ? (
          <ul className="queue__reports" aria-label="Reports">
            {item.reports.map((report, index) => (
              <li key={index}>
                {report.reason}
                {report.details ? `: ${report.details}` : ''}
              </li>
            ))}
          </ul>
        ) : null}
        <div className="queue__actions">
          {item.status === 'hidden' ? (
            <ActionForm action={restoreAction} hidden={id} submit="Restore" pendingText="Restoring…" />
          ) : (
            <ActionForm action={approveAction} hidden={id} submit="Approve" pendingText="Approving…" />
          )}
          {item.status !== 'hidden' ? (
            <ActionForm action={rejectAction} hidden={id} submit="Reject" pendingText="Rejecting…">
              <label className="mod-form__field">
                Reason <input name="reason" maxLength={500} />
              </label>
            </ActionForm>
          ) : null}
          {item.status === 'visible' ? (
            <ActionForm action={featureAction} hidden={{ ...id, featured: item.featured ? '0' : '1' }} submit={item.featured ? 'Remove editor’s pick' : 'Feature'} pendingText="Saving…" />
          ) : null}
          {item.author.banned ? null : (
            <details className="comment__details">
              <summary>Ban {item.author.name}</summary>
              <ActionForm action={banAction} hidden={{ userId: item.author.id }} submit={`Ban ${item.author.name}`} pendingText="Banning…" className="mod-form--stack">
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
            </details>
          )}
        </div>
      </article>
    </li>
  );
}

export default async function ModerationPage() {
  const viewer = await getCurrentUser();
  if (!viewer) redirect('/signin?callbackUrl=%2Fmoderation');
  if (!isModerator(viewer)) {
    return (
      <div className="page">
        <h1>Moderation</h1>
        <p>Only moderators can see this page.</p>
      </div>
    );
  }
  const queue = listModerationQueue();
  const banned = listBannedUsers();
  const settings = moderationSettings();
  const articles = listArticles().map((a) => ({ ...a, ref: getArticleRef(a.slug) }));
  return (
    <div className="page page--wide">
      <h1>Moderation</h1>
      <p className="lede">
        Held and reported comments, oldest first. Site-wide pre-moderation: <strong>{settings.premoderation}</strong>; comments are hidden
        after {settings.reportThreshold} reports.{' '}
        {isAdmin(viewer) ? <Link href="/moderation/audit">Audit log</Link> : null}
      </p>

      <section aria-labelledby="queue-heading">
        <h2 id="queue-heading">Queue ({queue.length})</h2>
        {queue.length === 0 ? <p>Nothing waits for review.</p> : <ol className="queue">{queue.map((item) => <QueueEntry key={item.id} item={item} />)}</ol>}
      </section>

      <section aria-labelledby="articles-heading">
        <h2 id="articles-heading">Discussions</h2>
        <ul className="mod-articles">
          {articles.map((article) => (
            <li key={article.slug}>
              <h3 className="queue__title">
                <Link href={articlePath(article.slug)}>{article.title}</Link> {article.ref?.closedAt ? '(closed)' : ''}
              </h3>
              <div className="queue__actions">
                <ActionForm action={policyAction} hidden={{ slug: article.slug }} submit="Save policy" pendingText="Saving…">
                  <label className="mod-form__field">
                    Pre-moderation{' '}
                    <select name="moderation" defaultValue={article.ref?.moderation ?? 'site'}>
                      <option value="site">Site default ({settings.premoderation})</option>
                      {PREMODERATION_POLICIES.map((policy) => (
                        <option key={policy} value={policy}>
                          {ARTICLE_POLICY_LABELS[policy]}
                        </option>
                      ))}
                    </select>
                  </label>
                </ActionForm>
                <ActionForm
                  action={closeAction}
                  hidden={{ slug: article.slug, closed: article.ref?.closedAt ? '0' : '1' }}
                  submit={article.ref?.closedAt ? 'Reopen discussion' : 'Close discussion'}
                  pendingText="Saving…"
                />
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
              <li key={user.id}>
                <strong>{user.name}</strong> {user.email ? `(${user.email})` : ''}: {user.banReason}
                {user.bannedUntil ? `, until ${user.bannedUntil.toISOString().slice(0, 10)}` : ''}
                <ActionForm action={unbanAction} hidden={{ userId: user.id }} submit={`Unban ${user.name}`} pendingText="Lifting…" />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
