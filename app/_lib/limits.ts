/*
 * The sizes the forms show and the schemas enforce. Constants, so client components can import
 * them without shipping zod to the browser; the rate limits, which come from settings, are in
 * ./limit-settings.ts.
 */
import { formatCount } from './format';

export const COMMENT_MAX = 5000;

/**
 * Why a comment of `length` characters (code points) is refused for its length, or null: the
 * schema's message, which the comment box also shows as the reader types past the limit.
 */
export function commentTooLong(length: number): string | null {
  return length > COMMENT_MAX ? `Comments can be up to ${formatCount(COMMENT_MAX)} characters; yours has ${formatCount(length)}.` : null;
}

/**
 * "Undo" after a reader deletes their comment: offered for about 10 s, and honoured by the server
 * for 30 s, so a slow connection or a plain form post still makes it.
 */
export const UNDO_SHOWN_MS = 10_000;
export const UNDO_MS = 30_000;

export const NAME_MAX = 50;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

/** The longest search a reader may type, in characters; longer ones get a message, not a search. */
export const SEARCH_QUERY_MAX = 200;
