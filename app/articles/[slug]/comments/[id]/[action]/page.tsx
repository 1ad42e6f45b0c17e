import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { PageShell } from '@/app/_components/site-header';
import { getCurrentUser } from '@/app/_lib/auth/session';
import { commentPage } from '@/app/_lib/comments/comment-page';
import { REPORTED } from '@/app/_lib/comments/service';
import { articleViewHref, commentActionHref, isCommentPageAction, type CommentPageAction } from '@/app/_lib/comments/view';
import { loadArticle } from '@/app/_lib/content/article';
import type { CommentView } from '@/db/queries/comments';
import { DeleteForm, EditForm, ModeratorControls, ModeratorEditForm, ReportForm, UndoDelete } from '../../../_components/comment-controls';
import { CommentForm } from '../../../_components/comment-form';
import { CommentQuote } from '../../_components/comment-quote';

type Props = { params: Promise<{ slug: string; id: string; action: string }> };

/*
 * One comment and one form: reply, edit, delete, report or moderate. The comment list is the
 * same HTML for every reader (so it can be cached), and each of its controls links here, where
 * the form is drawn for this viewer alone. Rendered per request (proxy.ts gives it a nonce).
 * After success every form goes back to the article at the comment, with or without JavaScript.
 */

const TITLES: Record<CommentPageAction, string> = {
  reply: 'Reply to a comment',
  edit: 'Edit a comment',
  delete: 'Delete a comment',
  report: 'Report a comment',
  moderate: 'Moderate a comment',
};

function heading(action: CommentPageAction, comment: CommentView, allowed: boolean): string {
  if (action === 'reply') return `Reply to ${comment.authorName || 'a comment'}`;
  if (allowed && action === 'edit') return 'Edit your comment';
  if (allowed && action === 'delete') return 'Delete your comment';
  return TITLES[action];
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug, action } = await params;
  const article = loadArticle(slug);
  if (!article || !isCommentPageAction(action)) return {};
  return { title: `${TITLES[action]}: ${article.title}`, robots: { index: false } };
}

export default async function CommentActionRoute({ params }: Props) {
  const { slug, id, action } = await params;
  const article = loadArticle(slug);
  if (!article) notFound();
  const viewer = await getCurrentUser();
  const page = commentPage(viewer, article, id, action);
  if (page.kind === 'not_found') notFound();
  const here = commentActionHref(article.slug, Number(id), page.action);
  if (page.kind === 'signed_out') redirect(`/signin?callbackUrl=${encodeURIComponent(here)}`);
  if (page.kind === 'deleted') {
    return (
      <PageShell user={viewer}>
        <div className="page page--comment-action">
          <p className="back-link">
            <Link href={articleViewHref(article.slug, { comment: page.commentId }, `#comment-${page.commentId}`)}>Back to the discussion</Link> on{' '}
            <cite>{article.title}</cite>
          </p>
          <h1>{TITLES.delete}</h1>
          <div id="form" className="comment-action">
            <UndoDelete articleSlug={article.slug} commentId={page.commentId} canUndo={page.canUndo} permalink={`${here}#form`} />
          </div>
        </div>
      </PageShell>
    );
  }
  if (page.kind === 'reported_hidden') {
    return (
      <PageShell user={viewer}>
        <div className="page page--comment-action">
          <p className="back-link">
            <Link href={articleViewHref(article.slug, {}, '#discussion')}>Back to the discussion</Link> on <cite>{article.title}</cite>
          </p>
          <h1>{TITLES.report}</h1>
          <p className="form-message" role="status">
            {REPORTED.sent}
          </p>
          <p>Readers’ reports have hidden the comment until a moderator reviews it.</p>
        </div>
      </PageShell>
    );
  }

  const { comment } = page;
  const back = articleViewHref(article.slug, { comment: comment.id }, `#comment-${comment.id}`);
  // The empty view: after success the action opens the article at this comment.
  const common = { articleSlug: article.slug, commentId: comment.id, view: '', permalink: `${here}#form`, then: 'article' as const };
  const form = (
    <>
      {page.kind === 'refused' ? (
        <p className="notice notice--error" role="status">
          {page.refusal.message}
        </p>
      ) : (
        <div id="form" className="comment-action">
          {page.action === 'reply' ? (
            <CommentForm
              articleSlug={article.slug}
              authorName={viewer?.name}
              parentId={comment.id}
              label={`Reply to ${comment.authorName}`}
              idPrefix="reply"
              permalink={common.permalink}
              cancelHref={back}
            />
          ) : page.action === 'edit' ? (
            <EditForm {...common} body={comment.markdown} cancelHref={back} />
          ) : page.action === 'delete' ? (
            <DeleteForm {...common} />
          ) : page.action === 'report' ? (
            page.reported ? (
              <p className="form-message" role="status">
                {REPORTED.duplicate}
              </p>
            ) : (
              // The thanks are shown here, so a report stays on this page with JavaScript.
              <ReportForm {...common} then={undefined} />
            )
          ) : (
            <>
              <ModeratorControls {...common} featured={comment.featured} canFeature={!!page.may.feature} canHide={!!page.may.reject} />
              {page.may.editAsModerator ? <ModeratorEditForm {...common} body={comment.markdown} /> : null}
            </>
          )}
        </div>
      )}
    </>
  );
  return (
    <PageShell user={viewer}>
      <div className="page page--comment-action">
        <p className="back-link">
          <Link href={back}>Back to the discussion</Link> on <cite>{article.title}</cite>
        </p>
        <h1>{heading(page.action, comment, page.kind === 'allowed')}</h1>
        {comment.status === 'deleted' ? form : <CommentQuote comment={comment} articleSlug={article.slug}>{form}</CommentQuote>}
      </div>
    </PageShell>
  );
}
