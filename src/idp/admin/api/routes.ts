// The admin API (JSON, OpenAPI 3.1 at /admin/api/openapi.json): the operations of the administration
// console for automation, on the same rules (../relying_parties). Every answer is JSON; refusals are
// `{error, error_description}` (RFC 6750 for the token, RFC 7591's invalid_client_metadata for
// metadata); refused tokens are counted per client address and answered 429 past the limit.
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context, Next } from 'koa';
import type { Pii } from '../../../kernel/pii/index.ts';
import type { Limit, RateLimiter } from '../../../kernel/rate_limit/index.ts';
import { RelyingPartyError, type Actor, type RelyingParties } from '../relying_parties/index.ts';
import { AdminApiRefusal } from './auth.ts';
import { adminOpenApi } from './openapi.ts';

const PAGE_SIZE = 50;
const ERROR_CODES = { 400: 'invalid_client_metadata', 403: 'forbidden', 404: 'not_found', 409: 'conflict' } as const;

class BadRequest extends Error {}

export function adminApiRoutes(deps: { relyingParties: RelyingParties; caller: (authorization: string | undefined) => Promise<string>; limiter: RateLimiter; limit: Limit; pii: Pii; issuer: string }) {
  const { relyingParties: rps, limiter, limit, pii } = deps;
  const router = new Router({ prefix: '/admin/api' });
  const json = bodyParser({
    enableTypes: ['json'],
    jsonLimit: '64kb',
    onError: () => {
      throw new BadRequest('the body must be a JSON object (at most 64 KB)');
    },
  });

  router.get('/openapi.json', (ctx) => {
    ctx.body = adminOpenApi(deps.issuer);
  });

  /** The caller checked, the body parsed, every refusal as JSON. */
  async function api(ctx: Context, next: Next) {
    ctx.set('Cache-Control', 'no-store');
    const address = pii.index(ctx.ip, 'rate:admin-api:address');
    try {
      const verdict = await limiter.blocked(address, limit);
      if (!verdict.ok) {
        ctx.set('Retry-After', String(verdict.retryAfter));
        ctx.status = 429;
        ctx.body = { error: 'too_many_requests', error_description: `too many refused tokens from this address; retry after ${verdict.retryAfter} seconds` };
        return;
      }
      let clientId: string;
      try {
        clientId = await deps.caller(ctx.get('authorization') || undefined);
      } catch (err) {
        if (err instanceof AdminApiRefusal) {
          await limiter.hit(address, limit);
          ctx.set('WWW-Authenticate', `Bearer error="${err.code}", error_description="${err.message.replace(/"/g, "'")}"`);
        }
        throw err;
      }
      ctx.state.actor = { kind: 'client', clientId } satisfies Actor;
      if (ctx.method === 'POST' || ctx.method === 'PUT') {
        if (ctx.request.length && !ctx.is('application/json')) throw new BadRequest('send the body as application/json');
        await json(ctx, async () => {});
      }
      await next();
    } catch (err) {
      if (err instanceof AdminApiRefusal) {
        ctx.status = err.status;
        ctx.body = { error: err.code, error_description: err.message };
      } else if (err instanceof RelyingPartyError) {
        ctx.status = err.status;
        ctx.body = { error: ERROR_CODES[err.status], error_description: err.message };
      } else if (err instanceof BadRequest) {
        ctx.status = 400;
        ctx.body = { error: 'invalid_request', error_description: err.message };
      } else throw err;
    }
  }
  const actor = (ctx: Context) => ctx.state.actor as Actor;
  const body = (ctx: Context) => ctx.request.body as unknown;
  const reasonOf = (ctx: Context) => {
    const b = body(ctx) as { reason?: unknown } | undefined;
    return typeof b?.reason === 'string' ? b.reason : '';
  };

  router.get('/v1/relying-parties', api, async (ctx) => {
    const page = Math.max(1, Math.min(10_000, Number.parseInt(String(ctx.query.page ?? '1'), 10) || 1));
    const search = typeof ctx.query.search === 'string' ? ctx.query.search.slice(0, 100) : undefined;
    const { items, more } = await rps.list({ search, page, size: PAGE_SIZE });
    ctx.body = { items, page, more };
  });
  router.post('/v1/relying-parties', api, async (ctx) => {
    ctx.status = 201;
    ctx.body = await rps.register(actor(ctx), body(ctx));
  });
  router.get('/v1/relying-parties/:id', api, async (ctx) => {
    ctx.body = await rps.get(ctx.params.id!);
  });
  router.put('/v1/relying-parties/:id', api, async (ctx) => {
    ctx.body = await rps.update(actor(ctx), ctx.params.id!, body(ctx));
  });
  router.post('/v1/relying-parties/:id/secret', api, async (ctx) => {
    ctx.body = await rps.rotateSecret(actor(ctx), ctx.params.id!);
  });
  router.post('/v1/relying-parties/:id/disable', api, async (ctx) => {
    await rps.setDisabled(actor(ctx), ctx.params.id!, true, reasonOf(ctx));
    ctx.status = 204;
  });
  router.post('/v1/relying-parties/:id/enable', api, async (ctx) => {
    await rps.setDisabled(actor(ctx), ctx.params.id!, false, reasonOf(ctx));
    ctx.status = 204;
  });

  return router;
}
