import 'server-only';
import { normalizeEmail } from './validation';

/** The standard OpenID Connect claims this site reads (OIDC Core §5.1), from the ID token or UserInfo. */
export type OidcClaims = {
  sub: string;
  name?: string;
  preferred_username?: string;
  email?: string;
  /** Some providers send the string "true". */
  email_verified?: boolean | string;
};

/** Whether the provider vouches for the address: the only thing that lets ADMIN_EMAILS apply (app/_lib/auth/roles.ts). */
export function providerVerifiedEmail(claims: { email?: unknown; email_verified?: unknown }): boolean {
  return typeof claims.email === 'string' && (claims.email_verified === true || claims.email_verified === 'true');
}

/**
 * The user Auth.js creates from an OIDC provider's claims (the OIDC button and Google). No
 * email gives `email: null`, which the sign-in callback turns into a message on the sign-in page.
 */
export function userFromClaims(claims: OidcClaims) {
  const email = typeof claims.email === 'string' && claims.email.trim() ? normalizeEmail(claims.email) : null;
  return {
    id: claims.sub,
    name: claims.name || claims.preferred_username || email?.split('@')[0] || 'Reader',
    email,
    image: null,
    emailVerified: email && providerVerifiedEmail(claims) ? new Date() : null,
  };
}

type GitHubEmail = { email: string; primary: boolean; verified: boolean };

/**
 * GitHub's profile, with the account's primary verified address (or another verified one).
 * Auth.js's GitHub provider takes the primary address whether or not GitHub verified it, so
 * this asks for the address list itself and marks the one it picks as verified.
 */
export async function gitHubProfile(accessToken: string): Promise<Record<string, unknown>> {
  const apiBase = 'https://api.github.com';
  const headers = { Authorization: `Bearer ${accessToken}`, 'User-Agent': 'authjs' };
  const profile = (await (await fetch(`${apiBase}/user`, { headers })).json()) as Record<string, unknown>;
  const response = await fetch(`${apiBase}/user/emails`, { headers });
  const emails = response.ok ? ((await response.json()) as GitHubEmail[]) : [];
  const verified = emails.find((e) => e.primary && e.verified) ?? emails.find((e) => e.verified);
  return { ...profile, email: verified?.email ?? profile.email ?? null, email_verified: verified !== undefined };
}
