// A real OpenID Provider (the npm package oidc-provider) for the single sign-on tests.
// Usage: node oidc_provider.mjs CONFIG.json
// CONFIG: {"port": P, "clients": [...client metadata...], "accounts": {"<login>": {claims}}}
// Sign in on its own pages (devInteractions) with an account's login and any password.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const issuer = `http://127.0.0.1:${config.port}`;

const provider = new Provider(issuer, {
  clients: config.clients,
  async findAccount(ctx, id) {
    const claims = config.accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    // The organisation's attributes ride on the profile scope, as many providers do.
    profile: ['name', 'given_name', 'family_name', 'department', 'team', 'job_title',
              'location', 'manager_email'],
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // No fonts from the internet, unlike the default page.
      async logoutSource(ctx, form) {
        ctx.body = `<!DOCTYPE html><html><head><title>Sign out</title></head><body>
          <h1>Sign out of the identity provider?</h1>${form}
          <button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">
          Yes, sign me out</button>
          <button type="submit" form="op.logoutForm">No, stay signed in</button></body></html>`;
      },
    },
  },
  cookies: { keys: ['tests-only-cookie-key'] },
});
provider.on('server_error', (ctx, error) => console.error('server_error', error));
provider.listen(config.port, '127.0.0.1', () => console.log(`ready ${issuer}`));
