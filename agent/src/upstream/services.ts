// The two services the agent talks to, at the URLs of its config:
//   Mor Prom ID (IDP_URL): POST /api/card-agents/pair once, then client-credentials tokens by
//     private_key_jwt (openid-client), resource {AUTHENCODE_URL}/api, scope authencode;
//   Authen Code (AUTHENCODE_URL): POST /api/card-agents/register {jwk} (the lease, renewed by the
//     service), GET /api/smartcard/probe/{pid}, and the /api/nhso-service/* calls hospital systems make,
//     forwarded with the agent's token (once more with a fresh token after a 401).
// A service that cannot be reached is an UpstreamError with a code saying which one.
import * as oidc from 'openid-client';
import { Refused } from '../refused.ts';
import { AGENT_VERSION, type Config } from '../config.ts';
import type { AgentKey } from '../signing/key.ts';
import type { Pairing, PairingStore } from '../pairing/state.ts';

/** A service that cannot be reached or refused the agent. */
export class UpstreamError extends Refused {
  override name = 'UpstreamError';
}

export interface Answer {
  status: number;
  contentType: string;
  body: Buffer;
}

export interface Upstream {
  pair(o: { code: string; name: string }): Promise<Pairing>;
  token(fresh?: boolean): Promise<string>;
  register(): Promise<{ agent_id: string; hcode: string; lease_until: string }>;
  probe(pid: string): Promise<Answer>;
  forward(r: { method: string; path: string; search?: string; body?: Buffer; contentType?: string }): Promise<Answer>;
}

const TIMEOUT_MS = 15_000;
// the IdP ignores case, spaces and dashes: 'abcd-efgh', 'ABCDEFGH', 'abcd efgh'
const PAIRING_CODE = /^[A-Za-z0-9]{4}[\s-]?[A-Za-z0-9]{4}$/;
const reason = (err: unknown) => {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
};

export function notPaired() {
  return new UpstreamError(503, 'not_paired', 'this card reader agent is not paired with Mor Prom ID yet: run `mpid-card-agent pair CODE` with a code from the unit page');
}

export function createUpstream(deps: { config: Config; key: AgentKey; pairing: PairingStore; fetch?: typeof fetch }): Upstream {
  const { config, key, pairing } = deps;
  const doFetch = deps.fetch ?? fetch;
  const resource = `${config.authencodeUrl}/api`;
  let cached: { agentId: string; token: string; until: number } | undefined;
  let client: { agentId: string; tokenEndpoint: string; config: oidc.Configuration } | undefined;

  const paired = () => {
    const p = pairing.get();
    if (!p) throw notPaired();
    return p;
  };

  function oidcConfig(p: Pairing) {
    if (client?.agentId === p.agent_id && client.tokenEndpoint === p.token_endpoint) return client.config;
    const c = new oidc.Configuration({ issuer: p.issuer, token_endpoint: p.token_endpoint }, p.agent_id, undefined, oidc.PrivateKeyJwt(key.privateKey));
    // plain http is allowed by the config for a service on this computer only (development, tests)
    if (new URL(p.token_endpoint).protocol === 'http:') oidc.allowInsecureRequests(c);
    c.timeout = TIMEOUT_MS / 1000;
    client = { agentId: p.agent_id, tokenEndpoint: p.token_endpoint, config: c };
    return c;
  }

  async function token(fresh = false): Promise<string> {
    const p = paired();
    if (!fresh && cached && cached.agentId === p.agent_id && cached.until > Date.now()) return cached.token;
    let t: oidc.TokenEndpointResponse;
    try {
      t = await oidc.clientCredentialsGrant(oidcConfig(p), { resource, scope: 'authencode' });
    } catch (err) {
      if (err instanceof oidc.ResponseBodyError) throw new UpstreamError(502, 'token_refused', `Mor Prom ID refused this agent a token (${err.error}: ${err.error_description ?? ''}); it may have been revoked at the unit page: pair again`);
      throw new UpstreamError(502, 'idp_unreachable', `Mor Prom ID at ${new URL(p.token_endpoint).origin} cannot be reached for a token (${reason(err)})`);
    }
    cached = { agentId: p.agent_id, token: t.access_token, until: Date.now() + Math.max(0, (t.expires_in ?? 300) - 30) * 1000 };
    return t.access_token;
  }

  /** A call to Authen Code with the agent's token; a 401 once more with a fresh one. */
  async function authencode(method: string, pathAndQuery: string, body?: { bytes: Buffer; contentType: string }): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const bearer = await token(attempt > 0);
      let res: Response;
      try {
        res = await doFetch(`${config.authencodeUrl}${pathAndQuery}`, {
          method,
          headers: { authorization: `Bearer ${bearer}`, accept: 'application/json', ...(body ? { 'content-type': body.contentType } : {}) },
          body: body ? new Uint8Array(body.bytes) : undefined,
          signal: AbortSignal.timeout(TIMEOUT_MS),
          redirect: 'manual',
        });
      } catch (err) {
        throw new UpstreamError(502, 'authencode_unreachable', `Authen Code at ${config.authencodeUrl} cannot be reached (${reason(err)})`);
      }
      const answer = { status: res.status, contentType: res.headers.get('content-type') ?? 'application/json', body: Buffer.from(await res.arrayBuffer()) };
      if (res.status !== 401 || attempt > 0) return answer;
    }
  }

  return {
    token,

    async pair({ code, name }) {
      if (!PAIRING_CODE.test(code.trim())) throw new UpstreamError(400, 'invalid_request', 'the pairing code is 8 letters or digits (XXXX-XXXX) from the unit page at Mor Prom ID');
      let res: Response;
      try {
        res = await doFetch(`${config.idpUrl}/api/card-agents/pair`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ code: code.trim(), jwk: key.publicJwk, name, version: AGENT_VERSION }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
          redirect: 'manual',
        });
      } catch (err) {
        throw new UpstreamError(502, 'idp_unreachable', `Mor Prom ID at ${config.idpUrl} cannot be reached (${reason(err)})`);
      }
      const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (res.status === 429) throw new UpstreamError(429, 'too_many_attempts', `Mor Prom ID refuses pairing from this address for now; retry after ${res.headers.get('retry-after') ?? 'a few'} seconds`);
      if (res.status === 400) throw new UpstreamError(400, String(body.error ?? 'invalid_request'), String(body.error_description ?? 'Mor Prom ID refused the pairing'));
      if (res.status !== 201 || typeof body.agent_id !== 'string' || typeof body.hcode !== 'string' || typeof body.token_endpoint !== 'string' || typeof body.issuer !== 'string') {
        throw new UpstreamError(502, 'idp_error', `Mor Prom ID answered the pairing with HTTP ${res.status}, not what an agent expects`);
      }
      const p: Pairing = { agent_id: body.agent_id, hcode: body.hcode, unit_name: String(body.unit_name ?? ''), issuer: body.issuer, token_endpoint: body.token_endpoint, idp_url: config.idpUrl, name, paired_at: new Date().toISOString() };
      pairing.save(p);
      cached = undefined;
      return p;
    },

    async register() {
      const a = await authencode('POST', '/api/card-agents/register', { bytes: Buffer.from(JSON.stringify({ jwk: key.publicJwk })), contentType: 'application/json' });
      const body = (() => {
        try {
          return JSON.parse(a.body.toString('utf8')) as Record<string, unknown>;
        } catch {
          return {};
        }
      })();
      if (a.status !== 200 || typeof body.lease_until !== 'string') {
        throw new UpstreamError(502, 'register_refused', `Authen Code refused to register this agent (HTTP ${a.status}${body.message ? `: ${String(body.message)}` : ''})`);
      }
      return body as { agent_id: string; hcode: string; lease_until: string };
    },

    probe: (pid) => authencode('GET', `/api/smartcard/probe/${encodeURIComponent(pid)}`),

    forward: (r) => authencode(r.method, `${r.path}${r.search ?? ''}`, r.body && r.body.length ? { bytes: r.body, contentType: r.contentType ?? 'application/json' } : undefined),
  };
}
