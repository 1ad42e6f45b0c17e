// A conformant OpenID Connect provider on loopback for the e2e tests: panva's `oidc-provider`
// (the certified Node implementation), with its development login and consent pages.
// Profile claims stay out of the ID token (conformIdTokenClaims): email and name come only
// from the UserInfo endpoint, as OIDC Core §5.4 allows and many providers do.
// Playwright starts it as a webServer and stops it when the run ends.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT ?? 3101);
const issuer = `http://127.0.0.1:${port}`;

/** The people who can sign in, by the login typed on the provider's page. */
export const OIDC_ACCOUNTS = {
  olivia: { name: 'Olivia Oidc', email: 'Olivia.Oidc@Example.test', email_verified: true },
  // Shares no email address (the account has none, or the reader withheld it).
  nemo: { name: 'Nemo Noemail' },
  // An address the provider has not verified.
  una: { name: 'Una Unverified', email: 'una.unverified@example.test', email_verified: false },
  // Signs in only through the provider, then deletes the account (e2e/account-rights.spec.ts).
  petra: { name: 'Petra Provider', email: 'petra.provider@example.test', email_verified: true },
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID ?? 'blog-e2e',
      client_secret: process.env.OIDC_CLIENT_SECRET ?? 'blog-e2e-client-secret',
      redirect_uris: (process.env.OIDC_REDIRECT_URIS ?? '').split(',').filter(Boolean),
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  async findAccount(_ctx, id) {
    const account = OIDC_ACCOUNTS[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...account }) };
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  conformIdTokenClaims: true,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['e2e-only-cookie-key-not-a-secret'] },
});
// The development pages are the only interactions here; their warnings are expected.
provider.on('server_error', (_ctx, error) => console.error('[oidc-provider]', error));

const server = provider.listen(port, '127.0.0.1', () => console.log(`OIDC provider at ${issuer}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
