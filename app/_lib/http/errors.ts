/**
 * Every refusal the site gives, as `kind:subject`, with its HTTP status for JSON answers and
 * the message a reader sees in a form. The proxy's and the body checks' refusals are here too.
 * Server details are logged, never shown.
 */
export const ERRORS = {
  'unauthorized:comment': { status: 401, message: 'Sign in to comment.' },
  'unauthorized:vote': { status: 401, message: 'Sign in to vote.' },
  'unauthorized:poll': { status: 401, message: 'Sign in to give your answer.' },
  'unauthorized:subscribe': { status: 401, message: 'Sign in to get emails about new comments.' },
  'unauthorized:session': { status: 401, message: 'Your session has ended. Sign in again.' },
  'invalid:not_a_poll': { status: 422, message: 'That question does not take a one-click answer.' },
  'invalid:choice': { status: 422, message: 'Pick one of the answers.' },
  'forbidden:comment': { status: 403, message: 'You can only change your own comments.' },
  'forbidden:vote_own': { status: 403, message: 'You cannot vote for your own comment.' },
  'forbidden:banned': { status: 403, message: 'You are banned from the discussion.' },
  'forbidden:moderator': { status: 403, message: 'Only moderators can do that.' },
  'forbidden:admin': { status: 403, message: 'Only admins can do that.' },
  'forbidden:report_own': { status: 403, message: 'You cannot report your own comment.' },
  'forbidden:ban_staff': { status: 403, message: 'Moderators and admins cannot be banned here; change their role first.' },
  'forbidden:delete_moderator': {
    status: 403,
    message: 'A moderator’s account cannot be deleted. Ask an admin to make you a reader first, then delete it.',
  },
  'forbidden:last_admin': { status: 403, message: 'You are the last admin. Make another reader an admin before you delete your account.' },
  'unauthorized:sign_in_again': {
    status: 401,
    message: 'To delete your account, sign in again first: for your safety, the last sign-in must be recent.',
  },
  'forbidden:cross_site': { status: 403, message: 'Cross-site requests are not allowed.' },
  'closed:discussion': { status: 403, message: 'The discussion on this article is closed.' },
  'rate_limited:comment': { status: 429, message: 'You are posting too fast. Wait a moment and try again.' },
  'rate_limited:action': { status: 429, message: 'You are doing that too often. Wait a moment and try again.' },
  'rate_limited:attempts': { status: 429, message: 'Too many attempts. Try again later.' },
  'invalid:report': { status: 422, message: 'Choose why you are reporting this comment.' },
  'invalid:moderation': { status: 422, message: 'Check the form and try again.' },
  'invalid:form': { status: 422, message: 'Check the highlighted fields.' },
  'invalid:credentials': { status: 401, message: 'Email or password is incorrect.' },
  'conflict:email_taken': { status: 409, message: 'An account with this email already exists. Sign in instead.' },
  'conflict:mail_changed': { status: 409, message: 'Nothing to send again: the list has changed. Reload the page.' },
  'not_found:link': { status: 404, message: 'That link is not valid. Check that you copied the whole address, or ask for a new link.' },
  'gone:link_used': { status: 410, message: 'That link has already been used. Each link works only once: ask for a new one.' },
  'gone:link_expired': { status: 410, message: 'That link has expired. Ask for a new one.' },
  'not_found:user': { status: 404, message: 'That reader does not exist.' },
  'not_found:session': { status: 404, message: 'That sign-in is not one of yours, or it has already ended. Nothing was changed.' },
  'invalid:session_current': { status: 422, message: 'That is this browser’s own sign-in: use “Sign out” to end it.' },
  'not_found:account': { status: 401, message: 'Your account no longer exists.' },
  'not_found:article': { status: 404, message: 'That article does not exist.' },
  'not_found:comment': { status: 404, message: 'That comment does not exist in this discussion.' },
  'not_found:question': { status: 404, message: 'That question is not part of this article.' },
  'gone:comment': { status: 409, message: 'That comment was deleted.' },
  'invalid:comment': { status: 422, message: 'Check your comment and try again.' },
  'invalid:unsubscribe_link': {
    status: 400,
    message: 'This unsubscribe link is not valid: it was changed or cut short. Nothing was changed. Use the link from the email as it is, or change your notification settings in your profile.',
  },
  'invalid:request': { status: 400, message: 'The request was not understood.' },
  'invalid:json': { status: 400, message: 'The body is not valid JSON.' },
  'invalid:encoding': { status: 400, message: 'The request is not valid UTF-8.' },
  'invalid:content_type': { status: 415, message: 'Send JSON (Content-Type: application/json).' },
  'invalid:too_large': { status: 413, message: 'The request body is too large.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export type Refusal = { ok: false; code: ErrorCode; message: string; fields?: Record<string, string> };
export type Success<T> = { ok: true; value: T };
export type Result<T> = Success<T> | Refusal;

export function refuse(code: ErrorCode, fields?: Record<string, string>, message?: string): Refusal {
  return { ok: false, code, message: message ?? ERRORS[code].message, ...(fields ? { fields } : {}) };
}

/** What a JSON answer carries for a refusal: { error: { code, message, fields? } }. */
export function errorBody(refusal: Pick<Refusal, 'code' | 'message' | 'fields'>) {
  return { error: { code: refusal.code, message: refusal.message, ...(refusal.fields ? { fields: refusal.fields } : {}) } };
}
