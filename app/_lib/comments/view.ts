import { THREAD_SORTS, type ThreadSort } from '@/db/comment-order';

/**
 * Which part of a discussion a page shows: the order, where the page starts (a cursor), and a
 * comment to open at (a permalink). It lives in the address (?sort=top&after=…), so it works
 * without JavaScript and can be shared. Signed-out requests for a non-default view are
 * rewritten by proxy.ts to /articles/[slug]/view/[segment], a cacheable page per view.
 */
export type DiscussionView = {
  sort: ThreadSort;
  after: string | null;
  comment: number | null;
  /** The key of the question whose answers are shown (and which the comment box answers). */
  question: string | null;
};

export const DEFAULT_VIEW: DiscussionView = { sort: 'oldest', after: null, comment: null, question: null };
export const VIEW_PARAMS = ['sort', 'after', 'comment', 'question'] as const;

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function read(params: Params, name: string): string | undefined {
  const value = params instanceof URLSearchParams ? params.get(name) : params[name];
  return (Array.isArray(value) ? value[0] : value) ?? undefined;
}

/** Reads a view from query parameters; anything unknown or malformed falls back to the default. */
export function parseView(params: Params): DiscussionView {
  const sort = read(params, 'sort');
  const after = read(params, 'after');
  const comment = Number(read(params, 'comment'));
  const question = read(params, 'question');
  return {
    question: question && /^[a-z0-9-]{1,64}$/.test(question) ? question : null,
    sort: (THREAD_SORTS as readonly string[]).includes(sort ?? '') ? (sort as ThreadSort) : DEFAULT_VIEW.sort,
    after: after && /^-?\d{1,16}\.\d{1,12}$/.test(after) ? after : null,
    comment: Number.isSafeInteger(comment) && comment > 0 ? comment : null,
  };
}

/** The canonical query string for a view ('' for the default), in a fixed order. */
export function viewQuery(view: Partial<DiscussionView>): string {
  const params = new URLSearchParams();
  if (view.sort && view.sort !== DEFAULT_VIEW.sort) params.set('sort', view.sort);
  if (view.question) params.set('question', view.question);
  if (view.comment) params.set('comment', String(view.comment));
  else if (view.after) params.set('after', view.after);
  return params.toString();
}

export function isDefaultView(view: DiscussionView): boolean {
  return viewQuery(view) === '';
}

/** The path segment for the cached view route: the canonical query, URL-encoded. */
export function viewSegment(view: DiscussionView): string {
  return encodeURIComponent(viewQuery(view));
}

export function viewFromSegment(segment: string): DiscussionView {
  try {
    return parseView(new URLSearchParams(decodeURIComponent(segment)));
  } catch {
    return DEFAULT_VIEW;
  }
}

/**
 * The view a segment names when it is the one form proxy.ts writes for a non-default view
 * (encoded, or as Next decodes it), else null: any other spelling would be another cached page
 * of the same view.
 */
export function canonicalView(segment: string): DiscussionView | null {
  const view = viewFromSegment(segment);
  if (isDefaultView(view)) return null;
  return segment === viewSegment(view) || segment === viewQuery(view) ? view : null;
}

export function articleViewHref(slug: string, view: Partial<DiscussionView>, hash = ''): string {
  const query = viewQuery(view);
  return `/articles/${slug}${query ? `?${query}` : ''}${hash}`;
}

/**
 * What a reader can do to one comment on a page of its own: the comment list is the same HTML
 * for everyone, so each control there is a link to one of these focused pages, which renders
 * the one form for this viewer.
 */
export const COMMENT_PAGE_ACTIONS = ['reply', 'edit', 'delete', 'report', 'moderate'] as const;
export type CommentPageAction = (typeof COMMENT_PAGE_ACTIONS)[number];

export function isCommentPageAction(value: string): value is CommentPageAction {
  return (COMMENT_PAGE_ACTIONS as readonly string[]).includes(value);
}

export function commentActionHref(slug: string, id: number, action: CommentPageAction): string {
  return `/articles/${slug}/comments/${id}/${action}`;
}

/** The id of a question's text on the article page, which names its poll's choices. */
export function promptId(questionKey: string): string {
  return `question-${questionKey}-prompt`;
}

/** A comment's edit history: a permalink, linked from its "edited" marker. */
export function commentHistoryHref(slug: string, id: number): string {
  return `/articles/${slug}/comments/${id}/history`;
}
