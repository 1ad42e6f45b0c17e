import 'server-only';
import { DrizzleAdapter } from '@auth/drizzle-adapter';
import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import type { Adapter } from 'next-auth/adapters';
import Credentials from 'next-auth/providers/credentials';
import GitHub from 'next-auth/providers/github';
import Google from 'next-auth/providers/google';
import { getDb } from '@/db/index';
import { getSessionVersion, getUserSummary, setEmailVerified } from '@/db/queries/users';
import { describeLink, redeemLink } from './email-links';
import { accounts, sessions, users, verificationTokens } from '@/db/schema';
import { settings, type Settings } from '../config.mjs';
import { ensureAuthSecret } from './secret';
import { AUTH_TIME_CLAIM, SESSION_ID_CLAIM, SESSION_VERSION_CLAIM, sessionIdOf, sessionVersionOf } from './session-token';
import { loadSessionUser } from './roles';
import { SESSION_MAX_AGE_SECONDS, endTokenSession, signInMethod, startSession } from './sessions';
import { clientIp } from '../http/client-ip';
import { checkCredentials } from './credentials';
import { metrics } from '../ops/metrics';
import { gitHubProfile, providerVerifiedEmail, userFromClaims } from './provider-profile';
import { normalizeEmail, safeReturnPath } from './validation';

/** Thrown from authorize() so the sign-in form can say "try again in N minutes". */
export class RateLimitedSignIn extends CredentialsSignin {
  override code = 'rate_limited';
  constructor(readonly userMessage: string) {
    super(userMessage);
  }
}

/** Thrown from the email-link authorize() so the landing page can say why a link did not work. */
export class RefusedLink extends CredentialsSignin {
  override code = 'link_refused';
  constructor(readonly userMessage: string) {
    super(userMessage);
  }
}

export type ProviderButton = { id: string; name: string };

/**
 * The sign-in buttons to show: the OIDC provider and GitHub/Google only when their settings
 * are present (../config.mjs refuses some of a provider's settings without the others), so a
 * button that cannot work is never shown. `env` stands in for this process's settings in tests.
 */
export function externalProviders(env?: Record<string, string | undefined>): ProviderButton[] {
  return buttons(settings(env));
}

function buttons(s: Settings): ProviderButton[] {
  const list: ProviderButton[] = [];
  if (s.OIDC_ISSUER && s.OIDC_CLIENT_ID && s.OIDC_CLIENT_SECRET) list.push({ id: 'oidc', name: s.OIDC_NAME });
  if (s.AUTH_GITHUB_ID && s.AUTH_GITHUB_SECRET) list.push({ id: 'github', name: 'GitHub' });
  if (s.AUTH_GOOGLE_ID && s.AUTH_GOOGLE_SECRET) list.push({ id: 'google', name: 'Google' });
  return list;
}

function providers(s: Settings): NextAuthConfig['providers'] {
  const list: NextAuthConfig['providers'] = [
    Credentials({
      id: 'credentials',
      name: 'Email and password',
      credentials: { email: { type: 'email' }, password: { type: 'password' } },
      async authorize(credentials, request) {
        const result = await checkCredentials(credentials, clientIp(request.headers));
        if (result.status === 'rate_limited') throw new RateLimitedSignIn(result.message);
        return result.status === 'ok' ? result.user : null;
      },
    }),
    // A mailed link's button (app/(reader)/email-link): the token is the credential, used up here.
    Credentials({
      id: 'email-link',
      name: 'Email link',
      credentials: { token: { type: 'text' } },
      authorize(credentials) {
        const token = typeof credentials.token === 'string' ? credentials.token : '';
        // Counted like password sign-ins (method "link"): a used, expired or unknown link is a failure.
        const refused = (message: string) => {
          metrics().signIns.inc({ method: 'link', result: 'failure' });
          return new RefusedLink(message);
        };
        const seen = describeLink(token);
        if (!seen.ok) throw refused(seen.message);
        if (seen.value.purpose === 'reset') throw refused('Choose a new password on the link’s page first.');
        const result = redeemLink(token, seen.value.purpose);
        if (!result.ok) throw refused(result.message);
        const user = getUserSummary(result.value.userId);
        if (!user) return null;
        metrics().signIns.inc({ method: 'link', result: 'success' });
        return { id: user.id, name: user.name, email: user.email };
      },
    }),
  ];
  for (const { id } of buttons(s)) {
    if (id === 'oidc') {
      list.push({
        id: 'oidc',
        name: s.OIDC_NAME,
        type: 'oidc',
        issuer: s.OIDC_ISSUER,
        clientId: s.OIDC_CLIENT_ID,
        clientSecret: s.OIDC_CLIENT_SECRET,
        checks: ['pkce', 'state', 'nonce'],
        // Read the claims from UserInfo: a conformant provider may keep email and name out of
        // the ID token (OIDC Core §5.4), and Auth.js would otherwise see only the ID token.
        idToken: false,
        profile: userFromClaims,
      });
    }
    if (id === 'github') {
      list.push(
        GitHub({
          clientId: s.AUTH_GITHUB_ID,
          clientSecret: s.AUTH_GITHUB_SECRET,
          userinfo: { url: 'https://api.github.com/user', request: ({ tokens }: { tokens: { access_token?: string } }) => gitHubProfile(tokens.access_token ?? '') },
          profile: (profile) => ({
            id: String(profile.id),
            name: profile.name ?? profile.login,
            email: profile.email ? normalizeEmail(profile.email) : null,
            image: null,
            emailVerified: providerVerifiedEmail(profile) ? new Date() : null,
          }),
        }),
      );
    }
    if (id === 'google') list.push(Google({ clientId: s.AUTH_GOOGLE_ID, clientSecret: s.AUTH_GOOGLE_SECRET, profile: userFromClaims }));
  }
  return list;
}

/** Auth.js's Drizzle adapter on our tables, with emails normalised on the way in. */
function adapter(): Adapter {
  const base = DrizzleAdapter(getDb(), {
    usersTable: users,
    accountsTable: accounts,
    sessionsTable: sessions,
    verificationTokensTable: verificationTokens,
  });
  return {
    ...base,
    createUser: (user) => base.createUser!({ ...user, email: normalizeEmail(user.email), image: null }),
    getUserByEmail: (email) => base.getUserByEmail!(normalizeEmail(email)),
  };
}

/*
 * Sessions are JWTs (encrypted with AUTH_SECRET) because Auth.js's credentials provider only
 * issues those. The token carries only the user id: every request that acts loads the user
 * from SQLite (app/_lib/auth/session.ts), so a renamed, demoted or deleted user takes effect at once.
 */
/*
 * Built on first use, not at import (`next build` imports this module, and the secret may have
 * to be generated in the data folder first), then kept: Auth.js calls this function on every
 * request, and rebuilding the adapter and re-reading the secret file each time cost about a
 * millisecond per signed-in request.
 */
let config: NextAuthConfig | undefined;

export const { handlers, auth, signIn, signOut } = NextAuth(() => (config ??= buildConfig()));

function buildConfig(): NextAuthConfig {
  ensureAuthSecret();
  return {
    adapter: adapter(),
    providers: providers(settings()),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    trustHost: true,
    pages: { signIn: '/signin', error: '/signin' },
    logger: {
      // A wrong password is an expected answer, not a server error worth a log line.
      error(error) {
        if (error instanceof CredentialsSignin || error.name === 'CredentialsSignin') return;
        // A forged, expired or stale cookie: the request simply counts as signed out.
        if (error.name === 'JWTSessionError') return console.warn('[auth] ignored an invalid or expired session cookie');
        // A provider's sign-in that went wrong (refused, a bad callback, a failed check) counts as a failed sign-in.
        if (/OAuth|Callback|AccessDenied|InvalidCheck|EmailRequired/.test(error.name)) metrics().signIns.inc({ method: 'provider', result: 'failure' });
        console.error('[auth]', error);
      },
    },
    events: {
      // Signing out ends the session's row, so a copy of the cookie is refused from then on.
      signOut(message) {
        if ('token' in message && message.token) endTokenSession(message.token, sessionIdOf(message.token));
      },
      // A provider's word on the address can change (or predate this check): keep it current.
      signIn({ user, account, profile }) {
        // Password sign-ins are counted by checkCredentials, with their failures.
        if (account && account.type !== 'credentials') metrics().signIns.inc({ method: account.provider, result: 'success' });
        if (account && account.type !== 'credentials' && user.id && profile) {
          setEmailVerified(user.id, providerVerifiedEmail(profile) && normalizeEmail(String(profile.email)) === user.email);
        }
      },
    },
    callbacks: {
      // This site needs an email for every account: a provider that shares none gets a clear
      // message on the sign-in page rather than an account that cannot be told apart.
      signIn({ user, account }) {
        if (account && account.type !== 'credentials' && !user.email) return '/signin?error=EmailRequired';
        return true;
      },
      // A sign-in, by any provider, starts a session (a row in user_sessions, named by the
      // token's sid) under the user's current session version. A renewal of a token whose
      // session ended (signed out, or a password reset or change since) is refused, which
      // clears the cookie: the same check as every request's (loadSessionUser).
      async jwt({ token, user, account }) {
        if (user?.id) {
          token.sub = user.id;
          token[SESSION_VERSION_CLAIM] = getSessionVersion(user.id) ?? 0;
          token[SESSION_ID_CLAIM] = await startSession(user.id, signInMethod(account?.provider));
          token[AUTH_TIME_CLAIM] = Math.floor(Date.now() / 1000);
          return token;
        }
        if (!token.sub || !loadSessionUser({ userId: token.sub, sessionVersion: sessionVersionOf(token), sessionId: sessionIdOf(token) })) return null;
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return Object.assign(session, { [SESSION_VERSION_CLAIM]: sessionVersionOf(token) });
      },
      redirect({ url, baseUrl }) {
        if (url.startsWith(baseUrl)) return `${baseUrl}${safeReturnPath(url.slice(baseUrl.length))}`;
        return `${baseUrl}${safeReturnPath(url)}`;
      },
    },
  };
}
