import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { PageShell } from '@/app/_components/site-header';
import { Timestamp } from '@/app/_components/timestamp';
import { getCurrentUser } from '@/app/_lib/auth/session';
import { readCommentHistory, type Change, type HistoryEntry } from '@/app/_lib/comments/history';
import { articleViewHref } from '@/app/_lib/comments/view';
import { loadArticle } from '@/app/_lib/content/article';
import { CommentQuote } from '../../_components/comment-quote';

type Props = { params: Promise<{ slug: string; id: string }> };

/*
 * A comment's edit history, linked from its "edited" marker: every version, oldest first, with
 * when it was written, by whom, and what changed from the one before. A permalink that works
 * without JavaScript; rendered per request (proxy.ts), as who may read it depends on the viewer.
 */

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const article = loadArticle((await params).slug);
  return article ? { title: `Edit history of a comment: ${article.title}`, robots: { index: false } } : {};
}

function Author({ version }: { version: HistoryEntry }) {
  if (version.writtenAs === 'author') return <>by its author</>;
  return (
    <>
      by a moderator. Reason: <q>{version.reason}</q>
    </>
  );
}

/** The words removed and added, in the flow of the text; each run is announced, not just coloured. */
function Changes({ changes }: { changes: Change[] }) {
  return (
    <p className="history__diff">
      {changes.map((change, index) =>
        change.kind === 'removed' ? (
          <del key={index}>
            <span className="visually-hidden">[removed: </span>
            {change.text}
            <span className="visually-hidden">]</span>
          </del>
        ) : change.kind === 'added' ? (
          <ins key={index}>
            <span className="visually-hidden">[added: </span>
            {change.text}
            <span className="visually-hidden">]</span>
          </ins>
        ) : (
          <span key={index}>{change.text}</span>
        ),
      )}
    </p>
  );
}

export default async function CommentHistoryRoute({ params }: Props) {
  const { slug, id } = await params;
  const article = loadArticle(slug);
  if (!article) notFound();
  const viewer = await getCurrentUser();
  const history = readCommentHistory(viewer, article.id, id);
  if (!history.ok && history.code !== 'gone:comment') notFound();
  const back = articleViewHref(article.slug, { comment: Number(id) }, `#comment-${id}`);
  const backLink = (
    <p className="back-link">
      <Link href={back}>Back to the discussion</Link> on <cite>{article.title}</cite>
    </p>
  );
  if (!history.ok) {
    return (
      <PageShell user={viewer}>
        <div className="page page--comment-action">
          {backLink}
          <h1>Edit history</h1>
          <p>{history.message}</p>
        </div>
      </PageShell>
    );
  }
  const { comment, versions } = history.value;
  const latest = versions.length;
  return (
    <PageShell user={viewer}>
      <div className="page page--comment-action page--history">
        {backLink}
        <h1>Edit history of {comment.authorName}’s comment</h1>
        <CommentQuote comment={comment} articleSlug={article.slug} />
        {comment.editedAt && latest === 1 ? (
          <p>The earlier versions of this comment were not kept: it was edited before edit history began, or restored after its author deleted it.</p>
        ) : null}
        <ol className="history" aria-label="Versions, oldest first">
          {versions.map((version) => (
            <li key={version.number} id={`version-${version.number}`} className="history__version">
              <article aria-labelledby={`version-${version.number}-title`}>
                <h2 id={`version-${version.number}-title`} className="history__title">
                  Version {version.number}
                  {version.number === latest ? ' (current)' : ''}
                </h2>
                <p className="history__meta">
                  {version.number === 1 ? 'Written' : 'Edited'} <Timestamp at={version.writtenAt} /> <Author version={version} />
                </p>
                {version.changes ? (
                  <>
                    <h3 className="history__label">Changes from version {version.number - 1}</h3>
                    <Changes changes={version.changes} />
                    <details className="comment__details">
                      <summary>Full text of version {version.number}</summary>
                      <div className="comment__body" dangerouslySetInnerHTML={{ __html: version.html }} />
                    </details>
                  </>
                ) : (
                  <div className="comment__body" dangerouslySetInnerHTML={{ __html: version.html }} />
                )}
              </article>
            </li>
          ))}
        </ol>
      </div>
    </PageShell>
  );
}
