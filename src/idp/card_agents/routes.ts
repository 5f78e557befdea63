// The pairing endpoint card reader agents call once, with the code a unit administrator gave:
//   POST /api/card-agents/pair  {code, jwk (public P-256 or Ed25519), name (≤ 80), version (≤ 40)}
//   → 201 {agent_id, hcode, unit_name, issuer, token_endpoint}
//   → 400 {error: invalid_request | invalid_grant, error_description}, 415 for a body that is not JSON,
//     429 (Retry-After) after too many refusals from one client address.
// Only refusals count towards the limit (counted and decided in one statement, src/kernel/rate_limit):
// an installer pairing many agents from one address is never held up.
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { z } from 'zod';
import type { Context, Next } from 'koa';
import type { Pii } from '../../kernel/pii/index.ts';
import type { Limit, RateLimiter } from '../../kernel/rate_limit/index.ts';
import { CardAgentError, type CardAgents } from './index.ts';

const text = (field: string, max: number) =>
  z.string({ error: `${field} is required (a string)` }).trim().min(1, `${field} must not be empty`).max(max, `${field} is at most ${max} characters`).regex(/^[^\p{Cc}]*$/u, `${field} must not hold control characters`);

const pairBody = z.object(
  {
  code: z.string({ error: 'code is required (the pairing code, XXXX-XXXX)' }).max(20, 'code is the 8-character pairing code'),
  jwk: z.unknown(),
  name: text('name', 80),
  version: text('version', 40),
  },
  { error: 'the body must be a JSON object {code, jwk, name, version}' },
);

class OAuthError extends Error {
  status: number;
  code: string;
  constructor(status: number, code: string, description: string) {
    super(description);
    this.status = status;
    this.code = code;
  }
}

export function cardAgentApiRoutes(deps: { cardAgents: CardAgents; pii: Pii; limiter: RateLimiter; limit: Limit; issuer: string; tokenEndpoint: string }) {
  const { cardAgents, pii, limiter, limit } = deps;
  const router = new Router({ prefix: '/api/card-agents' });
  const json = bodyParser({
    enableTypes: ['json'],
    jsonLimit: '8kb',
    onError: (err) => {
      throw (err as { status?: number }).status === 413 ? new OAuthError(413, 'invalid_request', 'the body is too large') : new OAuthError(400, 'invalid_request', 'the body must be a JSON object');
    },
  });

  /** Every answer in the OAuth error shape; refusals counted per client address. */
  async function oauthAnswers(ctx: Context, next: Next) {
    ctx.set('Cache-Control', 'no-store');
    const address = pii.index(ctx.ip, 'rate:card-agent-pair:address');
    try {
      const verdict = await limiter.blocked(address, limit);
      if (!verdict.ok) {
        ctx.set('Retry-After', String(verdict.retryAfter));
        throw new OAuthError(429, 'invalid_request', `too many refused pairings from this address; retry after ${verdict.retryAfter} seconds`);
      }
      if (!ctx.is('application/json')) throw new OAuthError(415, 'invalid_request', 'send the body as application/json');
      await json(ctx, next);
    } catch (err) {
      const refusal = err instanceof CardAgentError ? new OAuthError(400, err.code, err.message) : err;
      if (!(refusal instanceof OAuthError)) throw err;
      if (refusal.status !== 429) await limiter.hit(address, limit);
      ctx.status = refusal.status;
      ctx.body = { error: refusal.code, error_description: refusal.message };
    }
  }

  router.post('/pair', oauthAnswers, async (ctx) => {
    const parsed = pairBody.safeParse(ctx.request.body);
    if (!parsed.success) throw new OAuthError(400, 'invalid_request', parsed.error.issues[0]!.message);
    const { code, jwk, name, version } = parsed.data;
    const paired = await cardAgents.pair({ code, jwk, name, version, clientAddress: ctx.ip });
    ctx.status = 201;
    ctx.body = { agent_id: paired.agentId, hcode: paired.hcode, unit_name: paired.unitName, issuer: deps.issuer, token_endpoint: deps.tokenEndpoint };
  });

  return router;
}
