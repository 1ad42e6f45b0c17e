import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '../index';
import { emailTokens, type EmailTokenPurpose } from '../schema';

/** What a mailed link may do, as the landing page and the redeeming action see it. */
export type EmailLink = {
  purpose: EmailTokenPurpose;
  email: string;
  userId: string | null;
  payload: Record<string, string>;
  expiresAt: Date;
};

export type EmailLinkLookup = { status: 'ok'; link: EmailLink } | { status: 'unknown' | 'used' | 'expired' };

/** Only the hash is stored: a copy of the database cannot be turned into working links. */
export const hashEmailToken = (token: string) => createHash('sha256').update(token).digest('hex');

const linkColumns = {
  purpose: emailTokens.purpose,
  email: emailTokens.email,
  userId: emailTokens.userId,
  payload: emailTokens.payload,
  expiresAt: emailTokens.expiresAt,
  usedAt: emailTokens.usedAt,
};

/**
 * Stores a new single-use link through `tx` (the transaction that also queues its mail) and
 * returns the token for the link: 32 random bytes, base64url.
 */
export function createEmailToken(
  tx: Tx | Db,
  input: { purpose: EmailTokenPurpose; email: string; userId?: string | null; payload?: Record<string, string>; lifetimeMs: number },
  now = Date.now(),
): string {
  const token = randomBytes(32).toString('base64url');
  tx.insert(emailTokens)
    .values({
      purpose: input.purpose,
      tokenHash: hashEmailToken(token),
      email: input.email,
      userId: input.userId ?? null,
      payload: input.payload ?? {},
      expiresAt: new Date(now + input.lifetimeMs),
    })
    .run();
  return token;
}

function classify(row: (EmailLink & { usedAt: Date | null }) | undefined, purposes: readonly EmailTokenPurpose[], now: number): EmailLinkLookup {
  if (!row || !purposes.includes(row.purpose)) return { status: 'unknown' };
  if (row.usedAt) return { status: 'used' };
  if (row.expiresAt.getTime() <= now) return { status: 'expired' };
  return { status: 'ok', link: { purpose: row.purpose, email: row.email, userId: row.userId, payload: row.payload, expiresAt: row.expiresAt } };
}

/** What a link would do, without using it up: mail scanners open links too. */
export function peekEmailToken(token: string, purposes: readonly EmailTokenPurpose[], now = Date.now(), db: Tx | Db = getDb()): EmailLinkLookup {
  const row = db.select(linkColumns).from(emailTokens).where(eq(emailTokens.tokenHash, hashEmailToken(token))).get();
  return classify(row, purposes, now);
}

/**
 * Uses a link up, once: the conditional UPDATE lets exactly one of two racing requests through.
 * Call it inside the transaction that does what the link is for, so a refusal there puts the
 * link back. A link that cannot be used says why (unknown, used, expired).
 */
export function redeemEmailToken(tx: Tx | Db, token: string, purposes: readonly EmailTokenPurpose[], now = Date.now()): EmailLinkLookup {
  const hash = hashEmailToken(token);
  const row = tx
    .update(emailTokens)
    .set({ usedAt: new Date(now) })
    .where(and(eq(emailTokens.tokenHash, hash), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, new Date(now)), inArray(emailTokens.purpose, [...purposes])))
    .returning(linkColumns)
    .get();
  if (row) return { status: 'ok', link: { purpose: row.purpose, email: row.email, userId: row.userId, payload: row.payload, expiresAt: row.expiresAt } };
  return peekEmailToken(token, purposes, now, tx);
}

/** Older links of the same kind for an account stop working when a new one is sent or one is used. */
export function retireEmailTokens(tx: Tx | Db, purpose: EmailTokenPurpose, email: string, now = Date.now()): void {
  tx.update(emailTokens)
    .set({ usedAt: new Date(now) })
    .where(and(eq(emailTokens.purpose, purpose), eq(emailTokens.email, email), isNull(emailTokens.usedAt)))
    .run();
}

/**
 * One immediate transaction for an account change and what goes with it (its link, its mail),
 * so the app layer never opens the database itself.
 */
export function accountTransaction<T>(run: (tx: Tx) => T): T {
  return getDb().transaction(run, { behavior: 'immediate' });
}
