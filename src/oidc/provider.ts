// oidc-provider configuration: we configure the certified OP, we never reimplement protocol logic.
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import type { Config } from '../config.ts';
import type { Database } from '../db/index.ts';
import type { Accounts } from '../account/index.ts';
import { postgresAdapter } from './adapter.ts';
import { accountClaims, CLAIMS } from './claims.ts';
import { findResourceServer } from './resource_servers.ts';
import { ACR_VALUES } from './acr.ts';
import { renderError, logoutSource, postLogoutSuccessSource } from '../interaction/pages.ts';

export interface ProviderDeps {
  config: Config;
  db: Database;
  accounts: Accounts;
  jwks: JWK[];
}

/** Whether a client may introspect or revoke a token: its own, or one issued to it as resource server. */
function tokenAccessAllowed(client: { clientId: string; metadata(): Record<string, unknown> }, token: { clientId?: string; aud?: string | string[] }) {
  if (token.clientId === client.clientId) return true;
  const rs = client.metadata().resource_server;
  if (typeof rs !== 'string') return false;
  const aud = Array.isArray(token.aud) ? token.aud : token.aud ? [token.aud] : [];
  return aud.includes(rs);
}

export function createProvider({ config, db, accounts, jwks }: ProviderDeps): Provider {
  const production = config.zone === 'production';
  const configuration: Configuration = {
    adapter: postgresAdapter(db),
    jwks: { keys: jwks as never },
    cookies: {
      keys: config.cookieKeys,
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
      names: { session: 'mpid.session', interaction: 'mpid.interaction', resume: 'mpid.resume' },
    },
    responseTypes: ['code'],
    scopes: ['openid', 'offline_access', 'profile', 'phone', 'pid'],
    claims: CLAIMS,
    acrValues: [...ACR_VALUES],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    extraClientMetadata: {
      properties: ['resource_server', 'pkce_exempt'],
      validator(_ctx, key, value) {
        if (key === 'resource_server' && value !== undefined && (typeof value !== 'string' || !URL.canParse(value))) {
          throw new errors.InvalidClientMetadata('resource_server must be an absolute URI');
        }
        if (key === 'pkce_exempt' && value !== undefined && typeof value !== 'boolean') {
          throw new errors.InvalidClientMetadata('pkce_exempt must be a boolean');
        }
      },
    },
    pkce: {
      required(_ctx, client) {
        if (client.clientAuthMethod === 'none') return true;
        return production && client.metadata().pkce_exempt !== true;
      },
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => tokenAccessAllowed(client, token as never) },
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => {
          if (tokenAccessAllowed(client, token as never)) return true;
          throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
        },
      },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      backchannelLogout: { enabled: true },
      pushedAuthorizationRequests: { enabled: true },
      dPoP: { enabled: true },
      requestObjects: { enabled: true },
      registration: config.registrationToken
        ? { enabled: true, initialAccessToken: config.registrationToken }
        : { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, _client, oneOf) => (oneOf ? (Array.isArray(oneOf) ? oneOf[0] : oneOf) : (undefined as never)),
        useGrantedResource: () => false,
        getResourceServerInfo: async (_ctx, indicator) => {
          const rs = await findResourceServer(db, indicator);
          if (!rs) throw new errors.InvalidTarget(`unknown resource server: ${indicator}`);
          return rs;
        },
      },
    },
    rotateRefreshToken: true,
    ttl: {
      AccessToken: 900,
      AuthorizationCode: 60,
      ClientCredentials: 600,
      IdToken: 3600,
      Interaction: 3600,
      Grant: 30 * 86400,
      Session: 30 * 86400,
      RefreshToken: 30 * 86400,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, sub) {
      const account = await accounts.findBySub(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          return accountClaims(account, (ctx as KoaContextWithOIDC).oidc?.client ?? undefined);
        },
      };
    },
    renderError,
  };
  const provider = new Provider(config.issuer, configuration);
  provider.proxy = config.trustProxy;
  return provider;
}
