// The admin API (JSON, OpenAPI 3.1 at /admin/api/openapi.json): the operations of the administration
// console for automation, on the same rules (../relying_parties). Every answer is JSON; refusals are
// `{error, error_description}` (RFC 6750 for the token, RFC 7591's invalid_client_metadata for
// metadata); refused tokens are counted per client address and answered 429 past the limit.
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context, Next } from 'koa';
import type { Pii } from '../../../kernel/pii/index.ts';
import type { Limit, RateLimiter } from '../../../kernel/rate_limit/index.ts';
import { Readable } from 'node:stream';
import { RelyingPartyError, type Actor, type RelyingParties } from '../relying_parties/index.ts';
import { auditFilterOf, safeDetail, type AuditLog } from '../audit_log/index.ts';
import type { AccountAdmin } from '../accounts/index.ts';
import type { Roles } from '../roles/index.ts';
import { DeletionError, type DeletionRequests } from '../deletion/index.ts';
import type { ResourceServers } from '../resource_servers/index.ts';
import { UnitsAdminError, type UnitsAdmin } from '../units/index.ts';
import type { CardAgentAdmin } from '../card_agents/index.ts';
import type { UnitCardAgent } from '../../card_agents/index.ts';
import { DELETION_STATUSES, type DeletionRequest, type DeletionStatus } from '../../account/index.ts';
import { parseId } from '../../../kernel/http/params.ts';
import { AdminApiRefusal } from './auth.ts';
import { adminOpenApi } from './openapi.ts';
import { AdminRefusal } from '../refusal.ts';

const PAGE_SIZE = 50;
const ERROR_CODES = { 400: 'invalid_client_metadata', 403: 'forbidden', 404: 'not_found', 409: 'conflict' } as const;
const OTHER_CODES = { ...ERROR_CODES, 400: 'invalid_request' } as const;

class BadRequest extends Error {}

/** The `page` query parameter: a whole number from 1 to 10,000, 1 when absent or unreadable. */
const pageOf = (ctx: Context) => Math.max(1, Math.min(10_000, Number.parseInt(String(ctx.query.page ?? '1'), 10) || 1));

export function adminApiRoutes(deps: { relyingParties: RelyingParties; auditLog: AuditLog; accountAdmin: AccountAdmin; roles: Roles; deletions: DeletionRequests; resourceServers: ResourceServers; unitsAdmin: UnitsAdmin; cardAgents: CardAgentAdmin; caller: (authorization: string | undefined) => Promise<string>; limiter: RateLimiter; limit: Limit; pii: Pii; issuer: string }) {
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
      if (ctx.method === 'POST' || ctx.method === 'PUT' || ctx.method === 'PATCH') {
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
      } else if (err instanceof AdminRefusal) {
        ctx.status = err.status;
        ctx.body = { error: OTHER_CODES[err.status], error_description: err.message };
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
    const page = pageOf(ctx);
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

  const { auditLog, accountAdmin, roles } = deps;
  const field = (ctx: Context, k: string) => {
    const v = (body(ctx) as Record<string, unknown> | undefined)?.[k];
    return typeof v === 'string' ? v : '';
  };

  // the audit log: a page is the events before `before` (a seq), newest first; `next_before` pages on
  router.get('/v1/audit-events', api, async (ctx) => {
    const filter = auditFilterOf(ctx.query as Record<string, unknown>);
    const size = Math.max(1, Math.min(500, Number.parseInt(String(ctx.query.limit ?? '100'), 10) || 100));
    const { items, next } = await auditLog.page(filter, { before: parseId(ctx.query.before), size });
    ctx.body = { items: items.map((e) => ({ seq: e.seq, at: e.at.toISOString(), actor: e.actor, action: e.action, subject: e.subject, detail: safeDetail(e.detail) })), ...(next !== undefined ? { next_before: next } : {}) };
  });
  router.get('/v1/audit-events.csv', api, async (ctx) => {
    const filter = auditFilterOf(ctx.query as Record<string, unknown>);
    ctx.set('Content-Disposition', 'attachment; filename="audit-log.csv"');
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = Readable.from(auditLog.csv(actor(ctx), filter, ctx.ip));
  });
  router.post('/v1/audit-events/subject', api, async (ctx) => {
    ctx.body = { sub: await auditLog.subjectOf(actor(ctx), field(ctx, 'pid'), field(ctx, 'reason'), ctx.ip) };
  });
  router.get('/v1/audit-chain', api, async (ctx) => {
    const s = await auditLog.chainStatus({ full: ctx.query.full === 'true' });
    ctx.body = {
      ok: s.verdict.ok, events: s.verdict.events, ...(s.verdict.ok ? {} : { broken_at: s.verdict.brokenAt, reason: s.verdict.reason }),
      verified_at: s.verifiedAt.toISOString(), full: s.full, ...(s.fullAt ? { full_verified_at: s.fullAt.toISOString() } : {}),
    };
  });

  // accounts: found by ID number (with a reason, audited), then named by sub
  router.post('/v1/accounts/search', api, async (ctx) => {
    ctx.body = { sub: await accountAdmin.find(actor(ctx), field(ctx, 'pid'), field(ctx, 'reason'), ctx.ip) };
  });
  router.get('/v1/accounts/:sub', api, async (ctx) => {
    const o = await accountAdmin.overview(ctx.params.sub!);
    ctx.body = {
      sub: o.sub, pid_masked: o.pidMasked, name: o.name, name_en: o.nameEn, birthdate: o.birthdate, phone_masked: o.phoneMasked, phone_verified: o.phoneVerified,
      ial: o.ial, aal: o.aal, factors: o.factors, authenticators: o.authenticators,
      login_lock: { failures: o.locked.failures, locked_until: o.locked.lockedUntil?.toISOString() ?? null },
      sessions: o.sessions.map((s) => ({ logged_in_at: s.loginTs ? new Date(s.loginTs * 1000).toISOString() : null, acr: s.acr })),
      applications: o.applications.map((g) => ({ client_id: g.clientId, scope: g.scope })),
      roles: o.roles.map(roleJson),
    };
  });
  router.post('/v1/accounts/:sub/unlock', api, async (ctx) => {
    ctx.body = await accountAdmin.unlock(actor(ctx), ctx.params.sub!, reasonOf(ctx));
  });
  router.post('/v1/accounts/:sub/sessions/end', api, async (ctx) => {
    ctx.body = await accountAdmin.endSessions(actor(ctx), ctx.params.sub!, reasonOf(ctx));
  });
  router.post('/v1/accounts/:sub/second-factors/remove', api, async (ctx) => {
    ctx.body = await accountAdmin.removeSecondFactors(actor(ctx), ctx.params.sub!, { check: field(ctx, 'check'), reason: reasonOf(ctx) });
  });

  // roles
  router.get('/v1/roles', api, async (ctx) => {
    const sub = typeof ctx.query.sub === 'string' ? ctx.query.sub.slice(0, 64) : undefined;
    ctx.body = { items: (await roles.list({ sub, current: ctx.query.current === 'true' })).map(roleJson) };
  });
  for (const [path, run] of [['grant', roles.grant], ['withdraw', roles.withdraw]] as const) {
    router.post(`/v1/roles/${path}`, api, async (ctx) => {
      await run(actor(ctx), (body(ctx) ?? {}) as Record<string, unknown>);
      ctx.status = 204;
    });
  }

  // service units and service points
  const { unitsAdmin } = deps;
  const hcodeOf = (ctx: Context) => {
    if (!/^\d{5}$/.test(ctx.params.hcode ?? '')) throw new UnitsAdminError(404, 'unknownUnit', 'a unit code (hcode) has 5 digits');
    return ctx.params.hcode!;
  };
  router.get('/v1/units', api, async (ctx) => {
    const page = pageOf(ctx);
    const text = (k: string) => (typeof ctx.query[k] === 'string' ? (ctx.query[k] as string).slice(0, 100) : undefined);
    const servicePoint = ctx.query.service_point === 'true' ? true : ctx.query.service_point === 'false' ? false : undefined;
    const { items, more } = await unitsAdmin.list({ search: text('search'), province: text('province'), servicePoint, page, size: PAGE_SIZE });
    ctx.body = { items, page, more };
  });
  router.get('/v1/units/:hcode', api, async (ctx) => {
    ctx.body = await unitsAdmin.get(hcodeOf(ctx));
  });
  router.post('/v1/units/:hcode/service-point', api, async (ctx) => {
    ctx.body = await unitsAdmin.setServicePoint(actor(ctx), hcodeOf(ctx), (body(ctx) ?? {}) as Record<string, unknown>);
  });

  // deletion requests (PDPA)
  const { deletions } = deps;
  const deletionId = (ctx: Context) => {
    const id = parseId(ctx.params.id);
    if (id === undefined) throw new DeletionError(404, 'no such deletion request');
    return id;
  };
  router.get('/v1/deletion-requests', api, async (ctx) => {
    const status = DELETION_STATUSES.find((s): s is DeletionStatus => s === ctx.query.status);
    ctx.body = { items: (await deletions.list({ status })).map(deletionJson) };
  });
  router.get('/v1/deletion-requests/:id', api, async (ctx) => {
    ctx.body = { ...deletionJson(await deletions.get(deletionId(ctx))), plan: deletions.plan };
  });
  router.post('/v1/deletion-requests/:id/carry-out', api, async (ctx) => {
    ctx.body = await deletions.carryOut(actor(ctx), deletionId(ctx), reasonOf(ctx));
  });
  router.post('/v1/deletion-requests/:id/refuse', api, async (ctx) => {
    ctx.body = await deletions.refuse(actor(ctx), deletionId(ctx), reasonOf(ctx));
  });

  // resource servers (RFC 8707): named by their identifier, URL-encoded in the path
  const { resourceServers: rss } = deps;
  router.get('/v1/resource-servers', api, async (ctx) => {
    ctx.body = { items: await rss.list() };
  });
  router.post('/v1/resource-servers', api, async (ctx) => {
    ctx.status = 201;
    ctx.body = await rss.register(actor(ctx), body(ctx));
  });
  router.get('/v1/resource-servers/:id', api, async (ctx) => {
    ctx.body = await rss.get(ctx.params.id!);
  });
  router.patch('/v1/resource-servers/:id', api, async (ctx) => {
    ctx.body = await rss.update(actor(ctx), ctx.params.id!, body(ctx));
  });
  for (const [path, disabled] of [['disable', true], ['enable', false]] as const) {
    router.post(`/v1/resource-servers/:id/${path}`, api, async (ctx) => {
      ctx.body = await rss.setDisabled(actor(ctx), ctx.params.id!, disabled, reasonOf(ctx));
    });
  }

  // card reader agents of every unit
  const { cardAgents } = deps;
  router.get('/v1/card-agents', api, async (ctx) => {
    ctx.body = { items: (await cardAgents.list({ hcode: ctx.query.hcode, state: ctx.query.state })).map(agentJson) };
  });
  router.post('/v1/card-agents/:id/revoke', api, async (ctx) => {
    await cardAgents.revoke(actor(ctx), { id: ctx.params.id, reason: reasonOf(ctx) });
    ctx.status = 204;
  });

  return router;
}

const agentJson = (a: UnitCardAgent) => ({
  id: a.id, hcode: a.hcode, unit_name: a.unitName, name: a.name, version: a.version, registered_by: a.registeredBy, registered_at: a.registeredAt.toISOString(),
  last_seen_at: a.lastSeenAt?.toISOString() ?? null, revoked_at: a.revokedAt?.toISOString() ?? null, revoked_by: a.revokedBy, state: a.revokedAt ? 'revoked' : 'active',
});

const deletionJson = (r: DeletionRequest) => ({
  id: r.id, sub: r.sub, reason: r.reason, requested_at: r.requestedAt.toISOString(), status: r.status,
  decided_at: r.decidedAt?.toISOString() ?? null, decided_by: r.decidedBy, decision_reason: r.decisionReason, outcome: r.outcome,
});

const roleJson = (r: { sub: string; role: string; hcode: string | null; province: string | null; grantedBy: string; grantReason: string; grantedAt: Date; withdrawnBy: string | null; withdrawReason: string | null; withdrawnAt: Date | null }) => ({
  sub: r.sub, role: r.role, hcode: r.hcode, province: r.province, granted_by: r.grantedBy, grant_reason: r.grantReason, granted_at: r.grantedAt.toISOString(),
  withdrawn_by: r.withdrawnBy, withdraw_reason: r.withdrawReason, withdrawn_at: r.withdrawnAt?.toISOString() ?? null,
});
