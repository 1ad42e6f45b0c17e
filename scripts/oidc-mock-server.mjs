// A real OpenID Connect provider on loopback for the e2e tests (oauth2-mock-server): discovery,
// authorization-code flow with PKCE, signed ID tokens and userinfo. It signs in one test user.
// Playwright starts it as a webServer and stops it when the run ends.
import { OAuth2Server } from 'oauth2-mock-server';

const port = Number(process.env.OIDC_MOCK_PORT ?? 3101);
export const OIDC_TEST_USER = { sub: 'oidc-e2e-user', name: 'Olivia Oidc', email: 'Olivia.Oidc@Example.test' };

const server = new OAuth2Server();
await server.issuer.keys.generate('RS256');
server.service.on('beforeTokenSigning', (token) => {
  token.payload.sub = OIDC_TEST_USER.sub;
  token.payload.name = OIDC_TEST_USER.name;
  token.payload.email = OIDC_TEST_USER.email;
});
server.service.on('beforeUserinfo', (response) => {
  response.body = { ...OIDC_TEST_USER, email_verified: true };
});
await server.start(port, '127.0.0.1');
// The issuer must be the exact URL the app is configured with; the mock would say "localhost".
server.issuer.url = `http://127.0.0.1:${port}`;
console.log(`OIDC provider at ${server.issuer.url}`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await server.stop();
    process.exit(0);
  });
}
