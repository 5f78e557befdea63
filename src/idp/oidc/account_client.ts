// The first-party account client: /account (and the verifier and admin consoles) log a person in
// through the IdP itself as a public client (authorization code + PKCE, no consent screen).
import type { ClientMetadata } from 'oidc-provider';

export const ACCOUNT_CLIENT_ID = 'mpid-account';

export function accountClient(issuer: string): ClientMetadata {
  return {
    client_id: ACCOUNT_CLIENT_ID,
    client_name: 'Mor Prom ID account',
    token_endpoint_auth_method: 'none',
    application_type: 'web',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: [`${issuer}/account/callback`],
    post_logout_redirect_uris: [`${issuer}/account`, `${issuer}/account/logged-out`],
    scope: 'openid',
  };
}
