import 'server-only';
import type { Tx } from '@/db/index';
import { accountTransaction, createEmailToken, peekEmailToken, redeemEmailToken, retireEmailTokens, type EmailLink } from '@/db/queries/email-tokens';
import { createVerifiedPasswordUser, getAccountByEmail, markEmailVerified, replaceEmail, setPassword } from '@/db/queries/users';
import type { EmailTokenPurpose } from '@/db/schema';
import { site } from '../content/site';
import { refuse, type Refusal, type Result } from '../http/errors';
import { queueMail } from '../mail/queue';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** How long each kind of mailed link works. */
export const LINK_LIFETIMES: Record<EmailTokenPurpose, number> = {
  signup: 24 * HOUR,
  verify: 24 * HOUR,
  'email-change': 24 * HOUR,
  reset: HOUR,
  signin: 15 * MINUTE,
};

/**
 * Every mailed link opens the one landing page, which shows what it will do before doing it.
 * `origin` is the site as the requesting browser reached it (publicOrigin), so the link works
 * without SITE_URL too.
 */
export const linkUrl = (origin: string, token: string) => `${origin}/email-link?token=${encodeURIComponent(token)}`;

function newLink(tx: Tx, origin: string, purpose: EmailTokenPurpose, email: string, userId: string | null, payload: Record<string, string> = {}): string {
  return linkUrl(origin, createEmailToken(tx, { purpose, email, userId, payload, lifetimeMs: LINK_LIFETIMES[purpose] }));
}

const minutes = (ms: number) => (ms >= HOUR ? `${ms / HOUR} hour${ms === HOUR ? '' : 's'}` : `${ms / MINUTE} minutes`);
const ignoreFooter = ['If you did not ask for this, ignore this message: nothing changes until the link is used.'];

/** A sign-in link to an existing account's address, with its own text (signin or "someone tried"). */
function mailSignInLink(tx: Tx, origin: string, account: { id: string; name: string }, email: string, paragraphs: string[], subject: string): void {
  const url = newLink(tx, origin, 'signin', email, account.id);
  queueMail(tx, {
    kind: subject.startsWith('Someone') ? 'account' : 'signin',
    to: email,
    subject,
    greeting: `Hello ${account.name},`,
    paragraphs: [...paragraphs, `The link works once, for ${minutes(LINK_LIFETIMES.signin)}.`],
    action: { label: 'Sign in', url },
    footer: ignoreFooter,
  });
}

/**
 * Sign-up: the same answer and the same work whatever the address. A new address gets a link
 * that creates the account; an address with an account gets a note to its owner with a sign-in
 * link, so nobody learns which addresses are registered or claims someone else's.
 */
export function startSignUp(input: { name: string; email: string; passwordHash: string; callbackUrl: string }, origin: string): void {
  accountTransaction((tx) => {
    const account = getAccountByEmail(input.email, tx);
    if (account) {
      mailSignInLink(
        tx,
        origin,
        account,
        input.email,
        [`Someone tried to create an account on ${site.name} with this address, which already has one. If that was you, use the link to sign in.`],
        'Someone tried to create an account with your address',
      );
      return;
    }
    retireEmailTokens(tx, 'signup', input.email);
    const url = newLink(tx, origin, 'signup', input.email, null, { name: input.name, passwordHash: input.passwordHash, callbackUrl: input.callbackUrl });
    queueMail(tx, {
      kind: 'verify',
      to: input.email,
      subject: `Confirm your email to finish creating your account`,
      greeting: `Hello ${input.name},`,
      paragraphs: [`Confirm this address to create your account on ${site.name}. The link works once, for ${minutes(LINK_LIFETIMES.signup)}.`],
      action: { label: 'Confirm and create my account', url },
      footer: ignoreFooter,
    });
  });
}

/** "Email me a sign-in link": mailed only when the address has an account; the caller answers the same either way. */
export function sendSignInLink(email: string, origin: string): void {
  accountTransaction((tx) => {
    const account = getAccountByEmail(email, tx);
    if (!account) return;
    mailSignInLink(tx, origin, account, email, [`Here is the sign-in link you asked for on ${site.name}.`], `Your sign-in link for ${site.name}`);
  });
}

/** "Forgot your password?": a reset link, only to an address with an account; older ones stop working. */
export function sendResetLink(email: string, origin: string): void {
  accountTransaction((tx) => {
    const account = getAccountByEmail(email, tx);
    if (!account) return;
    retireEmailTokens(tx, 'reset', email);
    const url = newLink(tx, origin, 'reset', email, account.id);
    queueMail(tx, {
      kind: 'reset',
      to: email,
      subject: `Reset your password on ${site.name}`,
      greeting: `Hello ${account.name},`,
      paragraphs: [`Use the link to choose a new password. It works once, for ${minutes(LINK_LIFETIMES.reset)}. Setting it signs you out everywhere else.`],
      action: { label: 'Choose a new password', url },
      footer: ignoreFooter,
    });
  });
}

/** A verification link to the signed-in reader's own address. */
export function sendVerifyLink(user: { id: string; name: string; email: string }, origin: string): void {
  accountTransaction((tx) => {
    retireEmailTokens(tx, 'verify', user.email);
    const url = newLink(tx, origin, 'verify', user.email, user.id);
    queueMail(tx, {
      kind: 'verify',
      to: user.email,
      subject: `Confirm your email address on ${site.name}`,
      greeting: `Hello ${user.name},`,
      paragraphs: [`Confirm that this address is yours. The link works once, for ${minutes(LINK_LIFETIMES.verify)}.`],
      action: { label: 'Confirm my address', url },
      footer: ignoreFooter,
    });
  });
}

/** A link to the new address; the account keeps the old one until it is used. */
export function sendEmailChangeLink(user: { id: string; name: string }, newEmail: string, origin: string): void {
  accountTransaction((tx) => {
    retireEmailTokens(tx, 'email-change', newEmail);
    const url = newLink(tx, origin, 'email-change', newEmail, user.id);
    queueMail(tx, {
      kind: 'verify',
      to: newEmail,
      subject: `Confirm your new email address on ${site.name}`,
      greeting: `Hello ${user.name},`,
      paragraphs: [`Confirm this address to make it the one your account on ${site.name} uses. The link works once, for ${minutes(LINK_LIFETIMES['email-change'])}.`],
      action: { label: 'Use this address', url },
      footer: ignoreFooter,
    });
  });
}

/**
 * A one-minute, never-mailed sign-in link for the browser that just reset or changed the
 * password: it is signed in afresh under the new session version (./sign-in-afresh.ts).
 */
export function renewalToken(userId: string, email: string): string {
  return accountTransaction((tx) => createEmailToken(tx, { purpose: 'signin', email, userId, payload: { renew: '1' }, lifetimeMs: MINUTE }));
}

const LINK_REFUSALS = {
  unknown: () => refuse('not_found:link'),
  used: () => refuse('gone:link_used'),
  expired: () => refuse('gone:link_expired'),
};

/** What a link will do, for its landing page; never uses it up. */
export function describeLink(token: string): Result<EmailLink> {
  const seen = peekEmailToken(token, ['signup', 'verify', 'signin', 'reset', 'email-change']);
  return seen.status === 'ok' ? { ok: true, value: seen.link } : LINK_REFUSALS[seen.status]();
}

/**
 * Uses a link of `purpose` up and does what it is for, in one transaction: a refusal inside
 * (the address taken meanwhile) rolls the link back to unused. Returns the account to sign in.
 */
export function redeemLink(token: string, purpose: EmailTokenPurpose, passwordHash?: string): Result<{ userId: string; callbackUrl: string }> {
  try {
    return accountTransaction((tx) => {
      const redeemed = redeemEmailToken(tx, token, [purpose]);
      if (redeemed.status !== 'ok') return LINK_REFUSALS[redeemed.status]();
      const done = apply(tx, redeemed.link, passwordHash);
      if (!done.ok) throw new RolledBack(done);
      return done;
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.refusal;
    throw error;
  }
}

class RolledBack extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.code);
  }
}

function apply(tx: Tx, link: EmailLink, passwordHash?: string): Result<{ userId: string; callbackUrl: string }> {
  const home = (userId: string, callbackUrl = '/') => ({ ok: true as const, value: { userId, callbackUrl } });
  switch (link.purpose) {
    case 'signup': {
      const { name = 'Reader', passwordHash: hash = '', callbackUrl = '/' } = link.payload;
      const created = createVerifiedPasswordUser(tx, { name, email: link.email, passwordHash: hash });
      return created ? home(created.id, callbackUrl) : refuse('conflict:email_taken');
    }
    case 'signin': {
      // A renewal after a password change names its account; a mailed link names an address.
      if (link.payload.renew && link.userId) return home(link.userId);
      const account = getAccountByEmail(link.email, tx);
      // The link proves the address as well as a verification link would.
      if (account) markEmailVerified(tx, account.id, link.email);
      return account ? home(account.id) : refuse('not_found:link');
    }
    case 'verify': {
      if (!link.userId || !markEmailVerified(tx, link.userId, link.email)) return refuse('not_found:link');
      return home(link.userId, '/profile');
    }
    case 'reset': {
      const account = getAccountByEmail(link.email, tx);
      if (!account || !passwordHash) return refuse('not_found:link');
      setPassword(tx, account.id, passwordHash);
      markEmailVerified(tx, account.id, link.email);
      return home(account.id);
    }
    case 'email-change': {
      if (!link.userId) return refuse('not_found:link');
      const replaced = replaceEmail(tx, link.userId, link.email);
      if (!replaced) return refuse('conflict:email_taken');
      if (replaced.oldEmail && replaced.oldEmail !== link.email) {
        queueMail(tx, {
          kind: 'account',
          to: replaced.oldEmail,
          subject: `Your email address on ${site.name} was changed`,
          paragraphs: [`Your account on ${site.name} now uses ${link.email} instead of this address.`, 'If you did not do this, reply to this message or contact the site at once.'],
        });
      }
      return home(link.userId, '/profile');
    }
  }
}
