import type { CommentStatus, Role } from '@/db/schema';
import type { UserSummary } from '@/db/queries/users';
import { refuse, type ErrorCode, type Refusal } from './http/errors';

/*
 * Who may do what, in one place. The services ask `check` before every write and refuse with
 * its answer; pages and components draw a control only where `allowed` says so, and a sign-in
 * link only where the sole obstacle is being signed out. The signed-out pages are cached for
 * everyone, so they ask with a null viewer.
 */

/** The viewer as getCurrentUser resolves it (configured admins included), or null. */
export type Viewer = Pick<UserSummary, 'id' | 'role' | 'ban'> | null;

export const SITE_ACTIONS = ['post', 'answerPoll', 'editProfile', 'readQueue', 'readAuditLog', 'manageMail', 'setPolicy', 'close', 'ban', 'unban'] as const;
/**
 * On the article page, `reject` is the moderator's "Hide". `editAsModerator` changes someone's
 * words, with a reason that the history shows to readers.
 */
export const COMMENT_ACTIONS = ['reply', 'edit', 'delete', 'vote', 'report', 'approve', 'reject', 'restore', 'feature', 'editAsModerator'] as const;
/**
 * Reading a comment's edit history: open to whoever is shown the comment itself, signed in or
 * not, banned or not (check's first rule keeps held and hidden ones to their author and staff).
 */
export const READ_ACTIONS = ['readHistory'] as const;
/**
 * A reader's rights over their own account: take a copy of their data, delete the account. Open
 * to banned readers too (a ban keeps them out of the discussion, not from their data). Staff
 * accounts hold the site's moderation: a moderator is demoted first, the last admin cannot leave.
 */
export const ACCOUNT_ACTIONS = ['exportData', 'deleteAccount'] as const;
export type SiteAction = (typeof SITE_ACTIONS)[number];
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];
export type CommentAction = (typeof COMMENT_ACTIONS)[number];
export type ReadAction = (typeof READ_ACTIONS)[number];
export type Action = SiteAction | CommentAction | ReadAction | AccountAction;

export type Target = {
  /** The discussion: closed ones are read-only for everyone but moderators. */
  article?: { closedAt: Date | null } | null;
  /** `emptied`: its text went with the retention period (purgeRejectedComments); nothing to show again. */
  comment?: { authorId: string; status: CommentStatus; emptied?: boolean };
  /** The reader a ban names, with their stored role. */
  user?: { id: string; role: Role };
  /** For deleteAccount: how many other accounts act as admins (stored role or ADMIN_EMAILS). */
  account?: { otherAdmins: number };
};

/** Why an action is refused; null when it is allowed. */
export type Denial =
  | 'signed_out'
  | 'banned'
  | 'closed'
  | 'staff_only'
  | 'admin_only'
  | 'not_author'
  | 'own_comment'
  | 'staff_target'
  | 'deleted'
  | 'hidden'
  | 'emptied'
  | 'not_shown'
  | 'staff_account'
  | 'last_admin';

const STAFF_ACTIONS = new Set<Action>(['readQueue', 'setPolicy', 'close', 'ban', 'unban', 'approve', 'reject', 'restore', 'feature', 'editAsModerator']);
/** The audit log, and the outbox's failed mail (addresses and errors): admins only. */
const ADMIN_ACTIONS = new Set<Action>(['readAuditLog', 'manageMail']);
/** Writes a closed discussion refuses. Deleting one's own comment and reporting stay open. */
const CLOSED_REFUSES = new Set<Action>(['post', 'answerPoll', 'reply', 'edit', 'vote']);
/** The comment statuses each comment action works on. */
const ON_STATUS: Record<CommentAction | ReadAction, readonly CommentStatus[]> = {
  reply: ['visible'],
  vote: ['visible'],
  report: ['visible'],
  feature: ['visible'],
  // A comment a moderator hid stays as evidence: its author may neither change nor erase it.
  edit: ['visible', 'pending'],
  delete: ['visible', 'pending'],
  approve: ['visible', 'pending'],
  reject: ['visible', 'pending'],
  restore: ['hidden'],
  // A moderator may take words out of any comment still there; its history keeps what it said.
  editAsModerator: ['visible', 'pending', 'hidden'],
  // An author's delete takes the history with the text.
  readHistory: ['visible', 'pending', 'hidden'],
};

export function isStaff(viewer: Viewer): boolean {
  return viewer !== null && (viewer.role === 'moderator' || viewer.role === 'admin');
}

function isCommentAction(action: Action): action is CommentAction | ReadAction {
  return (COMMENT_ACTIONS as readonly string[]).includes(action) || isRead(action);
}

function isRead(action: Action): action is ReadAction {
  return (READ_ACTIONS as readonly string[]).includes(action);
}

/**
 * The one rule. The state of what is acted on comes first (a closed discussion or a deleted
 * comment refuses everyone, and signing in would not help), then who the viewer is.
 */
export function denial(viewer: Viewer, action: Action, target: Target = {}): Denial | null {
  const { article, comment, user } = target;
  if (comment && isCommentAction(action)) {
    if (comment.status === 'deleted') return 'deleted';
    if (!ON_STATUS[action].includes(comment.status)) return comment.status === 'hidden' ? 'hidden' : 'not_shown';
    // Restored or rewritten, it would be an empty comment, or a moderator's words under its author's name.
    if (comment.emptied && (action === 'restore' || action === 'editAsModerator')) return 'emptied';
  }
  if (article?.closedAt && CLOSED_REFUSES.has(action)) return 'closed';
  if (isRead(action)) return null;
  if (!viewer) return 'signed_out';
  if (action === 'deleteAccount') {
    if (viewer.role === 'moderator') return 'staff_account';
    if (viewer.role === 'admin' && (target.account?.otherAdmins ?? 0) === 0) return 'last_admin';
    return null;
  }
  if (action === 'exportData') return null;
  if (viewer.ban) return 'banned';
  if (ADMIN_ACTIONS.has(action)) return viewer.role === 'admin' ? null : 'admin_only';
  if (STAFF_ACTIONS.has(action) && !isStaff(viewer)) return 'staff_only';
  if (action === 'ban' && user && (user.role !== 'reader' || user.id === viewer.id)) return 'staff_target';
  if (comment && (action === 'edit' || action === 'delete') && comment.authorId !== viewer.id) return 'not_author';
  if (comment && (action === 'vote' || action === 'report') && comment.authorId === viewer.id) return 'own_comment';
  return null;
}

export function can(viewer: Viewer, action: Action, target?: Target): boolean {
  return denial(viewer, action, target) === null;
}

/** What the page draws for one comment: each action's answer. */
export function commentPermissions(viewer: Viewer, article: Target['article'], comment: NonNullable<Target['comment']>) {
  return Object.fromEntries(COMMENT_ACTIONS.map((action) => [action, denial(viewer, action, { article, comment })])) as Record<
    CommentAction,
    Denial | null
  >;
}

/** What the page draws for the article and the site around it. */
export function sitePermissions(viewer: Viewer, article: Target['article'] = null) {
  return Object.fromEntries(SITE_ACTIONS.map((action) => [action, denial(viewer, action, { article })])) as Record<SiteAction, Denial | null>;
}

const day = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });

/** What a banned reader is told, wherever they try to take part. */
export function banMessage(ban: NonNullable<UserSummary['ban']>): string {
  const until = ban.until ? `until ${day.format(ban.until)}` : 'until a moderator lifts it';
  return `You are banned from the discussion ${until}. Reason: ${ban.reason}`;
}

function signInRefusal(action: Action): Refusal {
  if (action === 'vote') return refuse('unauthorized:vote');
  if (action === 'answerPoll') return refuse('unauthorized:poll');
  if (action === 'report') return refuse('unauthorized:comment', undefined, 'Sign in to report a comment.');
  if (action === 'editProfile') return refuse('unauthorized:comment', undefined, 'Your session has ended. Sign in again to change your name.');
  if (action === 'exportData' || action === 'deleteAccount') return refuse('unauthorized:session');
  if (ADMIN_ACTIONS.has(action)) return refuse('unauthorized:comment', undefined, 'Sign in as an admin.');
  if (STAFF_ACTIONS.has(action)) return refuse('unauthorized:comment', undefined, 'Sign in as a moderator.');
  return refuse('unauthorized:comment');
}

/** A comment its author deleted is "gone" to the author's own actions and to replies and votes. */
const GONE: Partial<Record<Action, ErrorCode>> = { reply: 'gone:comment', vote: 'gone:comment', edit: 'gone:comment', delete: 'gone:comment' };

/** The service's answer: null to go ahead, or the refusal to return. */
export function check(viewer: Viewer, action: Action, target?: Target): Refusal | null {
  // A held comment is shown only to its author and to staff: to anyone else it does not exist.
  const comment = target?.comment;
  if (comment && (comment.status === 'pending' || comment.status === 'hidden') && comment.authorId !== viewer?.id && !isStaff(viewer)) {
    return refuse('not_found:comment');
  }
  const why = denial(viewer, action, target);
  switch (why) {
    case null:
      return null;
    case 'signed_out':
      return signInRefusal(action);
    case 'banned':
      return refuse('forbidden:banned', undefined, viewer?.ban ? banMessage(viewer.ban) : undefined);
    case 'closed':
      return refuse('closed:discussion');
    case 'staff_only':
      return refuse('forbidden:moderator');
    case 'admin_only':
      return refuse('forbidden:admin');
    case 'staff_target':
      return refuse('forbidden:ban_staff');
    case 'not_author':
      return refuse('forbidden:comment');
    case 'own_comment':
      return refuse(action === 'vote' ? 'forbidden:vote_own' : 'forbidden:report_own');
    case 'deleted':
      return refuse(GONE[action] ?? 'not_found:comment');
    case 'hidden':
      if (action === 'edit' || action === 'delete') {
        const verb = action === 'edit' ? 'edited' : 'deleted';
        return refuse('forbidden:comment', undefined, `A moderator has hidden this comment, so it cannot be ${verb}.`);
      }
      return refuse('not_found:comment');
    case 'not_shown':
      return refuse('not_found:comment');
    case 'emptied':
      return refuse('gone:comment', undefined, 'This rejected comment’s text was deleted when its retention period ended, so it cannot be shown again or edited.');
    case 'staff_account':
      return refuse('forbidden:delete_moderator');
    case 'last_admin':
      return refuse('forbidden:last_admin');
  }
}

/**
 * The discussion's controls as the page's CSS reads them. The comment list is the same HTML for
 * every reader (so it can be cached), carrying every control; these space-separated action
 * lists, written on the discussion, say which of them this viewer sees (app/globals.css, "Who
 * sees which control"). Each comes from `denial`, asked about a sample comment of each kind the
 * list shows: someone else's, the viewer's own, the viewer's own held for review.
 */
export type DiscussionTokens = {
  /** Actions on other readers' visible comments, and the site actions (post, answerPoll). */
  may: string;
  /** Actions on the viewer's own visible comments. */
  mayOwn: string;
  /** Actions on the viewer's own comments that wait for review. */
  mayOwnHeld: string;
  /** Actions for which signing in is all it takes: drawn as sign-in links. */
  signIn: string;
  /**
   * Whether the reader gets mail about new comments here: 'yes' or 'no' for a signed-in reader
   * (set by the reader layer), '' signed out. Not a permission, but drawn the same way.
   */
  subscribed: '' | 'yes' | 'no';
};

export function discussionTokens(viewer: Viewer, article: Target['article']): DiscussionTokens {
  const others = { authorId: '', status: 'visible' as const };
  const list = (actions: readonly Action[], comment: Target['comment'], why: Denial | null) =>
    actions.filter((action) => denial(viewer, action, { article, comment }) === why).join(' ');
  const onOthers = [...COMMENT_ACTIONS, 'post', 'answerPoll'] as const;
  const own = (status: CommentStatus) => (viewer ? list(COMMENT_ACTIONS, { authorId: viewer.id, status }, null) : '');
  return { may: list(onOthers, others, null), mayOwn: own('visible'), mayOwnHeld: own('pending'), signIn: list(onOthers, others, 'signed_out'), subscribed: '' };
}

/** The tokens as the discussion's attributes, which app/globals.css reads ("Who sees which control"). */
export function tokenAttributes(tokens: DiscussionTokens): Record<string, string> {
  return {
    'data-may': tokens.may,
    'data-may-own': tokens.mayOwn,
    'data-may-own-held': tokens.mayOwnHeld,
    'data-sign-in': tokens.signIn,
    'data-subscribed': tokens.subscribed,
  };
}
