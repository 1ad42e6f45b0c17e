/**
 * Every refusal the comment system can give, as `kind:surface`, with its HTTP status for the
 * JSON API and the message a reader sees in a form. Server details are logged, never shown.
 */
export const ERRORS = {
  'unauthorized:comment': { status: 401, message: 'Sign in to comment.' },
  'unauthorized:vote': { status: 401, message: 'Sign in to vote.' },
  'unauthorized:poll': { status: 401, message: 'Sign in to give your answer.' },
  'invalid:not_a_poll': { status: 422, message: 'That question does not take a one-click answer.' },
  'invalid:choice': { status: 422, message: 'Pick one of the answers.' },
  'forbidden:comment': { status: 403, message: 'You can only change your own comments.' },
  'forbidden:vote_own': { status: 403, message: 'You cannot vote for your own comment.' },
  'forbidden:banned': { status: 403, message: 'You are banned from the discussion.' },
  'forbidden:moderator': { status: 403, message: 'Only moderators can do that.' },
  'forbidden:admin': { status: 403, message: 'Only admins can do that.' },
  'forbidden:report_own': { status: 403, message: 'You cannot report your own comment.' },
  'forbidden:ban_staff': { status: 403, message: 'Moderators and admins cannot be banned here; change their role first.' },
  'closed:discussion': { status: 403, message: 'The discussion on this article is closed.' },
  'rate_limited:comment': { status: 429, message: 'You are posting too fast. Wait a moment and try again.' },
  'invalid:report': { status: 422, message: 'Choose why you are reporting this comment.' },
  'invalid:moderation': { status: 422, message: 'Check the form and try again.' },
  'not_found:user': { status: 404, message: 'That reader does not exist.' },
  'not_found:article': { status: 404, message: 'That article does not exist.' },
  'not_found:comment': { status: 404, message: 'That comment does not exist in this discussion.' },
  'not_found:question': { status: 404, message: 'That question is not part of this article.' },
  'gone:comment': { status: 409, message: 'That comment was deleted.' },
  'invalid:comment': { status: 422, message: 'Check your comment and try again.' },
  'invalid:request': { status: 400, message: 'The request was not understood.' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export type Refusal = { ok: false; code: ErrorCode; message: string; fields?: Record<string, string> };
export type Success<T> = { ok: true; value: T };
export type Result<T> = Success<T> | Refusal;

export function refuse(code: ErrorCode, fields?: Record<string, string>, message?: string): Refusal {
  return { ok: false, code, message: message ?? ERRORS[code].message, ...(fields ? { fields } : {}) };
}

export function httpStatus(code: ErrorCode): number {
  return ERRORS[code].status;
}
