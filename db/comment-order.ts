/** The orders a discussion can be read in. Plain constants, safe to import anywhere (proxy too). */
export const THREAD_SORTS = ['oldest', 'newest', 'top'] as const;
export type ThreadSort = (typeof THREAD_SORTS)[number];
