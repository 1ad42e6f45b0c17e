/**
 * Limits the forms show and the schemas enforce. Kept apart from the zod schemas so client
 * components can import them without shipping zod to the browser.
 */
export const COMMENT_MAX = 5000;
export const NAME_MAX = 50;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;
