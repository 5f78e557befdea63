// oidc-provider configuration: we configure the certified OP, we never reimplement protocol logic.
import Provider, { errors, interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import type { Config } from '../config.ts';
import type { Database } from '../../kernel/db/index.ts';
import { cookieKeys } from '../../kernel/http/cookie_keys.ts';
import type { Accounts } from '../account/index.ts';
import { modelWrites, postgresAdapter } from './adapter.ts';
import { accountClaims, CLAIMS, clientAllowed } from './claims.ts';
import { findResourceServer } from './resource_servers.ts';
import { extraMetadata, unitTokenClaims, type AgentKeyOf } from './token_claims.ts';
import type { HealthPersonnelClaim } from '../personnel/index.ts';
import { ACR_VALUES, acrRank, requiredAcr, sessionLimits } from './acr.ts';
import { accountIal, approvedEvidence, IAL_LEVELS, IDA_DISCOVERY, ialRank, isIal, requiredIal, verifiedClaims } from '../proofing/index.ts';
import { accountClient } from './account_client.ts';
import { existingGrantLoader, revokeGrantPolicy } from './grant_policy.ts';
import { renderError, logoutSource, postLogoutSuccessSource } from './pages.ts';

export interface ProviderDeps {
  config: Config;
  db: Database;
  accounts: Accounts;
  jwks: JWK[];
  /** the health_personnel claim of a linked personnel account */
  healthPersonnel?: (sub: string) => Promise<HealthPersonnelClaim | undefined>;
  /** the key of a card reader agent client (its tokens carry the key's thumbprint, agent_jkt) */
  agentKeyOf?: AgentKeyOf;
  /** whether a client may get tokens for a resource server at all (the coverage API's allowed clients); refused: invalid_target */
  resourceAllowed?: (resource: string, clientId: string) => Promise<boolean>;
}

/** Whether a client may introspect or revoke a token: its own, or one issued to it as resource server. */
function tokenAccessAllowed(client: { clientId: string }, token: { clientId?: string; aud?: string | string[] }) {
  if (token.clientId === client.clientId) return true;
  const rs = extraMetadata(client, 'resource_server');
  if (typeof rs !== 'string') return false;
  const aud = Array.isArray(token.aud) ? token.aud : token.aud ? [token.aud] : [];
  return aud.includes(rs);
}

/**
 * The login prompt, with oidc-provider's exact-match essential acr checks replaced by ordered levels:
 * a session below the level a request needs, or an account below the IAL it needs, goes back to the
 * interaction, which steps the person up or explains what is missing.
 */
function loginPolicy(db: Database) {
  const policy = interactionPolicy.base();
  const login = policy.get('login')!;
  login.checks.remove('essential_acrs');
  login.checks.remove('essential_acr');
  login.checks.add(
    new interactionPolicy.Check('aal_step_up', 'a stronger authentication is requested', (ctx) => {
      const { oidc } = ctx;
      if (!oidc.session?.accountId || oidc.result?.login) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      const needed = requiredAcr(oidc.params as never, oidc.client?.defaultAcrValues as string[] | undefined);
      return needed === null || acrRank(oidc.session.acr) < acrRank(needed) ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }),
  );
  login.checks.add(
    new interactionPolicy.Check('ial_unmet', 'the requested identity assurance level is not reached', async (ctx) => {
      const { oidc } = ctx;
      if (!oidc.session?.accountId || oidc.result?.login) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      const needed = requiredIal(oidc.params as never);
      if (needed === undefined) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      const has = await accountIal(db, oidc.session.accountId);
      return needed === null || ialRank(has) < ialRank(needed) ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }),
  );
  return policy;
}

export function createProvider({ config, db, accounts, jwks, healthPersonnel, agentKeyOf, resourceAllowed }: ProviderDeps): Provider {
  const production = config.zone === 'production';
  const configuration: Configuration = {
    adapter: postgresAdapter(db, modelWrites(db)),
    clients: [accountClient(config.issuer)],
    loadExistingGrant: existingGrantLoader(db),
    revokeGrantPolicy,
    jwks: { keys: jwks as never },
    cookies: {
      keys: cookieKeys(config.cookieKeys) as never,
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
      names: { session: 'mpid.session', interaction: 'mpid.interaction', resume: 'mpid.resume' },
    },
    responseTypes: ['code'],
    scopes: ['openid', 'offline_access', 'profile', 'phone', 'pid', 'health_personnel', 'verified_claims'],
    discovery: { ...IDA_DISCOVERY },
    claims: CLAIMS,
    acrValues: [...ACR_VALUES],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    extraClientMetadata: {
      properties: ['resource_server', 'pkce_exempt', 'hcode', 'admin_api'],
      validator(_ctx, key, value) {
        if (key === 'admin_api' && value !== undefined && typeof value !== 'boolean') {
          throw new errors.InvalidClientMetadata('admin_api must be a boolean');
        }
        if (key === 'hcode' && value !== undefined && (typeof value !== 'string' || !/^\d{5}$/.test(value))) {
          throw new errors.InvalidClientMetadata('hcode must be the 5-digit code of the service unit this system belongs to');
        }
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
        return production && extraMetadata(client, 'pkce_exempt') !== true;
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
        getResourceServerInfo: async (_ctx, indicator, client) => {
          const rs = await findResourceServer(db, indicator);
          if (!rs) throw new errors.InvalidTarget(`unknown resource server: ${indicator}`);
          if (resourceAllowed && !(await resourceAllowed(indicator, client.clientId))) throw new errors.InvalidTarget(`client ${client.clientId} may not obtain tokens for ${indicator}`);
          return rs;
        },
      },
    },
    extraTokenClaims: (ctx, token) =>
      unitTokenClaims(token, ctx.oidc.client, healthPersonnel, async () => {
        const grantId = (token as { grantId?: string }).grantId;
        const grant = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
        return grant?.getOIDCScope().split(' ') ?? [];
      }, agentKeyOf),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: 900,
      AuthorizationCode: 60,
      ClientCredentials: 600,
      IdToken: 3600,
      Interaction: 3600,
      Grant: 30 * 86400,
      // a session lives until its level's idle limit from its last use, and never past its lifetime
      Session: (_ctx, session) => {
        const { lifetime, idle } = sessionLimits(session.acr);
        const age = session.loginTs ? Math.floor(Date.now() / 1000) - session.loginTs : 0;
        return Math.max(1, Math.min(idle, lifetime - age));
      },
      RefreshToken: 30 * 86400,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}`, policy: loginPolicy(db) },
    extraParams: {
      min_ial(_ctx, value) {
        if (value !== undefined && !isIal(value)) throw new errors.InvalidRequest(`min_ial must be one of ${IAL_LEVELS.join(', ')}`);
      },
    },
    async findAccount(ctx, sub) {
      const account = await accounts.findBySub(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        // oidc-provider passes the claims request for this use (id_token or userinfo)
        async claims(_use: string, _scope: string, requested?: Record<string, unknown>) {
          const client = (ctx as KoaContextWithOIDC).oidc?.client ?? undefined;
          const personnel = healthPersonnel && clientAllowed(client, 'health_personnel') ? await healthPersonnel(sub) : undefined;
          // ial and verified_claims are released only when asked for (claims parameter, or the
          // verified_claims scope): only then are the evidence tables read (two queries per token saved)
          const request = requested?.verified_claims;
          const wantsVerified = request !== undefined || String(_scope ?? '').split(' ').includes('verified_claims');
          const wantsIal = wantsVerified || (requested !== undefined && requested !== null && 'ial' in requested);
          const ial = wantsIal ? await accountIal(db, sub) : undefined;
          const verified = wantsVerified ? verifiedClaims(account, ial, await approvedEvidence(db, sub), { mayReceivePid: clientAllowed(client, 'pid'), request }) : undefined;
          return {
            ...accountClaims(account, client),
            ...(ial ? { ial } : {}),
            ...(personnel ? { health_personnel: personnel } : {}),
            ...(verified ? { verified_claims: verified } : {}),
          };
        },
      };
    },
    renderError,
    // Outgoing requests (back-channel logout, jwks_uri, sector identifiers) keep oidc-provider's SSRF
    // guard; only the test zone lets them reach relying parties on this machine (loopback).
    ...(production
      ? {}
      : {
          fetch: (input: string | URL | Request, init?: RequestInit) => {
            const host = new URL(input instanceof Request ? input.url : input).hostname;
            const loopback = host === 'localhost' || host === '[::1]' || host.startsWith('127.');
            return globalThis.fetch(input, loopback ? ({ ...init, dispatcher: undefined } as RequestInit) : init);
          },
        }),
  };
  const provider = new Provider(config.issuer, configuration);
  provider.proxy = config.trustProxy;
  // every absolute URL it emits (discovery, the logout form's action, audiences) names the configured
  // issuer: oidc-provider would build them from the request's Host header
  provider.OIDCContext.prototype.urlFor = function urlFor(name: string, opt?: Record<string, unknown>) {
    return provider.urlFor(name, opt);
  };
  return provider;
}
