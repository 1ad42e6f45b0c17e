import 'server-only';
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { getDb, preparedQuery, type Tx } from '../index';
import { commentVersions, comments, guestAuthors, users } from '../schema';

/*
 * Authors of imported comments who have no account here (db/schema.ts guestAuthors), and the
 * claim that hands their comments to the reader who owns the same, verified, email address.
 */

export type GuestSource = { source: string; key: string; name: string; email: string | null };

/** Trimmed and lower case, as users.email is stored; null when it is not an address. */
export function normaliseEmail(email: string | null | undefined): string | null {
  const value = email?.trim().toLowerCase() ?? '';
  return /^[^\s@]+@[^\s@]+$/.test(value) ? value : null;
}

// An import resolves an author per comment: compiled once per connection (db/index.ts, preparedQuery).
const verifiedAccountByEmail = preparedQuery((db) =>
  db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.email, sql.placeholder('email')), isNotNull(users.emailVerified)))
    .prepare(),
);
const guestBySourceKey = preparedQuery((db) =>
  db
    .select({ id: guestAuthors.userId })
    .from(guestAuthors)
    .where(and(eq(guestAuthors.source, sql.placeholder('source')), eq(guestAuthors.sourceKey, sql.placeholder('key'))))
    .prepare(),
);
const insertNameRow = preparedQuery((db) =>
  db
    .insert(users)
    .values({ id: sql.placeholder('id'), name: sql.placeholder('name'), createdAt: sql`${sql.placeholder('createdAt')}` })
    .prepare(),
);
const insertGuestRow = preparedQuery((db) =>
  db
    .insert(guestAuthors)
    .values({
      userId: sql.placeholder('id'),
      email: sql.placeholder('email'),
      source: sql.placeholder('source'),
      sourceKey: sql.placeholder('key'),
      createdAt: sql`${sql.placeholder('createdAt')}`,
    })
    .prepare(),
);

/**
 * The author an imported comment is shown under: the account here whose verified email is the
 * source's, else the guest author met before under the same source and key, else a new guest
 * (a name-only users row plus its private guest_authors row). Call inside the import's
 * transaction (`tx` is that proof); `known` caches the answers for one import.
 */
export function resolveImportAuthor(tx: Tx, author: GuestSource, known: Map<string, string>): string {
  const cacheKey = `${author.source}\u0000${author.key}`;
  const cached = known.get(cacheKey);
  if (cached) return cached;
  const email = normaliseEmail(author.email);
  const id =
    (email && verifiedAccountByEmail().get({ email })?.id) ||
    guestBySourceKey().get({ source: author.source, key: author.key })?.id ||
    insertGuestAuthor(tx, { ...author, email });
  known.set(cacheKey, id);
  return id;
}

/** A new guest author; `id` is given when the site's own export names one. */
export function insertGuestAuthor(_tx: Tx, author: GuestSource & { id?: string; createdAt?: Date }): string {
  const id = author.id ?? crypto.randomUUID();
  const createdAt = (author.createdAt ?? new Date()).getTime();
  insertNameRow().run({ id, name: author.name.trim().slice(0, 200) || 'Guest', createdAt });
  insertGuestRow().run({ id, email: normaliseEmail(author.email), source: author.source, key: author.key, createdAt });
  return id;
}

/** The guest authors whose email is this reader's verified address. */
function guestsOf(tx: Tx, userId: string): string[] {
  return tx
    .select({ id: guestAuthors.userId })
    .from(guestAuthors)
    .innerJoin(users, and(eq(users.id, userId), isNotNull(users.emailVerified), eq(users.email, guestAuthors.email)))
    .all()
    .map((r) => r.id);
}

export type Claimable = { comments: number; names: string[] };

/** What this reader could claim: comments imported under their verified email, and the names they carry. */
export function claimableComments(userId: string): Claimable {
  return getDb().transaction((tx) => {
    const guests = guestsOf(tx, userId);
    if (guests.length === 0) return { comments: 0, names: [] };
    const count = tx.select({ n: sql<number>`count(*)` }).from(comments).where(inArray(comments.authorId, guests)).get()?.n ?? 0;
    const names = tx.select({ name: users.name }).from(users).where(inArray(users.id, guests)).all();
    return { comments: count, names: [...new Set(names.map((n) => n.name?.trim() || 'Guest'))] };
  });
}

/**
 * Hands the comments of every guest author with this reader's verified email to the reader, in
 * one transaction, and removes those guests (their name-only users rows and private emails).
 * Returns how many comments moved, and the articles they are on, to refresh.
 */
export function claimGuestComments(userId: string): { moved: number; articleIds: number[] } {
  return getDb().transaction(
    (tx) => {
      const guests = guestsOf(tx, userId);
      if (guests.length === 0) return { moved: 0, articleIds: [] };
      const articleIds = tx
        .selectDistinct({ id: comments.articleId })
        .from(comments)
        .where(inArray(comments.authorId, guests))
        .all()
        .map((r) => r.id);
      const moved = tx.update(comments).set({ authorId: userId }).where(inArray(comments.authorId, guests)).run().changes;
      tx.update(comments).set({ editedBy: userId }).where(inArray(comments.editedBy, guests)).run();
      tx.update(commentVersions).set({ writtenBy: userId }).where(inArray(commentVersions.writtenBy, guests)).run();
      tx.delete(users).where(inArray(users.id, guests)).run();
      return { moved, articleIds };
    },
    { behavior: 'immediate' },
  );
}
