// The agent-compatible API: the endpoints and bodies hospital systems already call on the NHSO agent
// (docs/smartcard.md §2), served by this service and authenticated with IdP access tokens.
//   POST /api/nhso-service/save-as-draft                     {pid, claimType, mobile, correlationId, hn?, hcode?}
//   POST /api/nhso-service/confirm-save                      same body → {pid, claimType, correlationId, createdDate, claimCode}
//   GET  /api/nhso-service/latest-authen-code/{pid}          latest code at the caller's unit
//   GET  /api/nhso-service/latest-5-authen-code-all-hospital/{pid}
//   GET  /api/smartcard/probe/{pid}                          entitlement by ID number (registered card reader agents; anyone in the test zone)
//   POST /api/card-agents/register                           {jwk} → {agent_id, hcode, lease_until}: a card
//        reader agent's own client-credentials token registers (or renews) its key, with a lease of an hour
//   GET  /api/openapi.json                                   this API, described (OpenAPI 3.1)
// Refused tokens are limited per client address, and the people one caller may look up per hour
// (different ID numbers) are limited too; every lookup is audited with the ID number masked.
import { randomUUID } from 'node:crypto';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { z } from 'zod';
import type { Context, Next } from 'koa';
import { isValidPid } from '../../kernel/thai/pid.ts';
import type { Database } from '../../kernel/db/index.ts';
import { maskPid, type Pii } from '../../kernel/pii/index.ts';
import { createRateLimiter, type Limit } from '../../kernel/rate_limit/index.ts';
import { systemClock, type Clock } from '../../kernel/clock.ts';
import { recordAudit } from '../audit.ts';
import type { Visit, Visits } from '../visits/index.ts';
import { VisitError } from '../visits/index.ts';
import { parseMobiles } from '../visits/mobiles.ts';
import type { ClaimTypes } from '../claim_types.ts';
import { thaiDay, thaiIso } from '../../kernel/thai/time.ts';
import { ageOn, EntitlementRegisterUnavailable, insclLabel, type EntitlementRegister } from '../entitlement/index.ts';
import { actorOf, unitOf, type Caller, type CallerVerifier } from './caller.ts';
import { ApiError } from './errors.ts';
import { openApiDocument } from './openapi.ts';
import { toBuddhistDate } from '../../kernel/thai/dates.ts';
import { AgentKeyError, agentKeyThumbprint, agentPublicJwk } from '../../kernel/card_read/agent_key.ts';
import { leaseAgent, mayProbe } from '../agents.ts';

/** the ids the IdP gives card reader agents (their client_id there, the kid of their card reads) */
const AGENT_ID = /^agent-[0-9a-f]{16}$/;

const visitBody = z.object({
  pid: z.string({ error: 'pid is required' }).refine(isValidPid, 'pid must be a 13-digit national ID number with a valid check digit'),
  claimType: z.string({ error: 'claimType is required' }).regex(/^PG\d{7}$/, 'claimType must be a claim type code such as PG0060001'),
  mobile: z.string({ error: 'mobile is required' }).transform((v, c) => parseMobiles(v) ?? (c.addIssue({ code: 'custom', message: 'mobile must be one or more mobile numbers, digits only, separated by commas' }), z.NEVER)),
  correlationId: z.uuid({ message: 'correlationId must be a UUID (take it from the card read)' }).optional(),
  hn: z.string().trim().max(20, 'hn is at most 20 characters').regex(/^[\w/.-]*$/, 'hn may hold letters, digits and / . - only').optional(),
  hcode: z.string().regex(/^\d{5}$/, 'hcode must be 5 digits').optional(),
});

const VISIT_ERROR_STATUS: Record<VisitError['code'], number> = {
  unknown_unit: 400, unknown_claim_type: 400, claim_type_not_valid: 400, not_service_day: 400, not_found: 404, not_draft: 400, not_confirmed: 400, no_mobile: 400,
};

function parseBody(ctx: Context) {
  const parsed = visitBody.safeParse(ctx.request.body);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new ApiError(400, 'invalid_field', first.message, { field: String(first.path[0] ?? '') });
  }
  return parsed.data;
}

function pidParam(ctx: Context): string {
  const pid = String(ctx.params.pid ?? '');
  if (!isValidPid(pid)) throw new ApiError(400, 'invalid_pid', 'the ID number must be 13 digits with a valid check digit');
  return pid;
}

const codeView = (v: Visit) => ({ claimType: v.claimType, claimCode: v.claimCode, hcode: v.hcode, claimDateTime: thaiIso(v.serviceAt), checkDate: thaiIso(v.confirmedAt ?? v.createdAt) });
const savedView = (v: Visit) => ({ pid: v.pid, claimType: v.claimType, correlationId: v.correlationId, createdDate: thaiIso(v.confirmedAt ?? v.createdAt), claimCode: v.claimCode, hcode: v.hcode, status: v.status });

async function visitCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof VisitError) throw new ApiError(VISIT_ERROR_STATUS[err.code], err.code, err.message);
    throw err;
  }
}

export interface ApiLimits {
  /** refused bearer tokens per client address */
  tokenFailures: Limit;
  /** different ID numbers one caller may look up */
  peopleLookedUp: Limit;
}

export function apiRoutes(deps: {
  db: Database;
  pii: Pii;
  visits: Visits;
  claimTypes: ClaimTypes;
  entitlements: EntitlementRegister;
  verifyCaller: CallerVerifier;
  limits: ApiLimits;
  now?: Clock;
  testZone: boolean;
  baseUrl: string;
  audience: string;
  idpIssuer: string;
}) {
  const { db, pii, visits, claimTypes, entitlements, verifyCaller, limits } = deps;
  const clock = deps.now ?? systemClock;
  const limiter = createRateLimiter(db, { table: 'authencode.rate_limits', now: clock });
  const router = new Router({ prefix: '/api' });
  const json = bodyParser({ enableTypes: ['json'], jsonLimit: '16kb', onError: () => {
    throw new ApiError(400, 'invalid_json', 'the body must be a JSON object');
  } });
  const jsonOnly = async (ctx: Context, next: Next) => {
    if (!ctx.is('application/json')) throw new ApiError(415, 'unsupported_media_type', 'send the body as application/json');
    await json(ctx, next);
  };
  const tooMany = (ctx: Context, retryAfter: number, code: string, message: string) => {
    ctx.set('Retry-After', String(retryAfter));
    return new ApiError(429, code, `${message}; retry after ${retryAfter} seconds`);
  };
  const authenticated = async (ctx: Context, next: Next) => {
    const address = pii.index(ctx.ip, 'rate:api-token:address');
    const blocked = await limiter.blocked(address, limits.tokenFailures);
    if (!blocked.ok) throw tooMany(ctx, blocked.retryAfter, 'too_many_token_failures', 'too many refused access tokens from this address');
    try {
      ctx.state.caller = await verifyCaller(ctx);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) await limiter.hit(address, limits.tokenFailures);
      throw err;
    }
    await next();
  };
  const callerOf = (ctx: Context) => ctx.state.caller as Caller;
  /** A lookup of one person's data: within the caller's people per hour, and audited (ID number masked). */
  const lookUp = async (ctx: Context, pid: string, action: string, detail: Record<string, unknown> = {}) => {
    const caller = callerOf(ctx);
    const actor = actorOf(caller);
    const verdict = await limiter.admit(`api-people:${actor}`, pii.index(pid, 'rate:api-people'), limits.peopleLookedUp);
    if (!verdict.ok) {
      await recordAudit(db, { actor, action: 'api.lookup_refused', detail: { pid: maskPid(pid), asked: action, ...detail } });
      throw tooMany(ctx, verdict.retryAfter, 'too_many_people', `this caller has looked up ${limits.peopleLookedUp.max} different people in the last ${limits.peopleLookedUp.seconds / 60} minutes`);
    }
    await recordAudit(db, { actor, action, detail: { pid: maskPid(pid), via: 'api', ...detail } });
  };

  router.get('/openapi.json', (ctx) => {
    ctx.body = openApiDocument({ baseUrl: deps.baseUrl, audience: deps.audience, idpIssuer: deps.idpIssuer, testZone: deps.testZone });
  });

  router.post('/nhso-service/save-as-draft', authenticated, jsonOnly, async (ctx) => {
    const body = parseBody(ctx);
    const caller = callerOf(ctx);
    const hcode = unitOf(caller, body.hcode);
    const draft = await visitCall(() =>
      visits.saveDraft({ pid: body.pid, hcode, claimType: body.claimType, serviceAt: new Date(clock()), hn: body.hn, mobiles: body.mobile, method: 'his', correlationId: body.correlationId, actor: actorOf(caller), evidence: { via: 'api', caller: caller.kind } }),
    );
    ctx.status = 201;
    ctx.body = savedView(draft);
  });

  router.post('/nhso-service/confirm-save', authenticated, jsonOnly, async (ctx) => {
    const body = parseBody(ctx);
    const caller = callerOf(ctx);
    const hcode = unitOf(caller, body.hcode);
    const draft = body.correlationId ? await visits.draftByCorrelation(body.pid, hcode, body.claimType, body.correlationId) : undefined;
    const at = new Date(clock());
    const result = await visitCall(() =>
      draft
        ? visits.confirm(draft.id, actorOf(caller), at)
        : visits.confirmNew({ pid: body.pid, hcode, claimType: body.claimType, serviceAt: at, hn: body.hn, mobiles: body.mobile, method: 'his', correlationId: body.correlationId, actor: actorOf(caller), evidence: { via: 'api', caller: caller.kind } }, at),
    );
    if (result.duplicate) {
      throw new ApiError(400, 'duplicate_authen', `this person already has Authen Code ${result.visit.claimCode} for ${result.visit.claimType} at unit ${result.visit.hcode} today`, { claimCode: result.visit.claimCode });
    }
    ctx.status = 201;
    ctx.body = savedView(result.visit);
  });

  router.get('/nhso-service/latest-authen-code/:pid', authenticated, async (ctx) => {
    const pid = pidParam(ctx);
    const hcode = unitOf(callerOf(ctx), typeof ctx.query.hcode === 'string' ? ctx.query.hcode : undefined);
    await lookUp(ctx, pid, 'authen_code.viewed', { hcode });
    const [latest] = await visits.history(pid, { hcode, limit: 1 });
    if (!latest) throw new ApiError(404, 'no_authen_code', 'this person has no Authen Code at this unit');
    ctx.body = codeView(latest);
  });

  router.get('/nhso-service/latest-5-authen-code-all-hospital/:pid', authenticated, async (ctx) => {
    const pid = pidParam(ctx);
    await lookUp(ctx, pid, 'authen_code.viewed', { hcode: 'all' });
    ctx.body = (await visits.history(pid, { limit: 5 })).map(codeView);
  });

  router.post('/card-agents/register', authenticated, jsonOnly, async (ctx) => {
    const caller = callerOf(ctx);
    if (caller.kind !== 'his' || !caller.agentJkt || !AGENT_ID.test(caller.clientId)) {
      throw new ApiError(403, 'not_card_agent', 'only a card reader agent paired at Mor Prom ID may register here, with its own client-credentials token');
    }
    const body = ctx.request.body as { jwk?: unknown } | undefined;
    let jwk;
    try {
      jwk = await agentPublicJwk(body?.jwk);
    } catch (err) {
      if (err instanceof AgentKeyError) throw new ApiError(400, 'invalid_field', err.message, { field: 'jwk' });
      throw err;
    }
    if ((await agentKeyThumbprint(jwk)) !== caller.agentJkt) throw new ApiError(403, 'key_mismatch', 'jwk is not the key Mor Prom ID registered for this agent (its thumbprint differs from agent_jkt)');
    const lease = await leaseAgent(db, { id: caller.clientId, hcode: caller.hcode, jwk, by: actorOf(caller) });
    if (!lease.ok) {
      throw lease.reason === 'unknown_unit'
        ? new ApiError(400, 'unknown_unit', `unit ${caller.hcode} is not a unit of this service`)
        : new ApiError(403, 'agent_revoked', 'this agent is revoked at this service');
    }
    ctx.body = { agent_id: caller.clientId, hcode: caller.hcode, lease_until: thaiIso(lease.leaseUntil) };
  });

  // the entitlement by ID number: in the test zone for any caller; otherwise only for a card reader
  // agent registered here, which asks for the card in its reader (its /api/smartcard/read)
  router.get('/smartcard/probe/:pid', authenticated, async (ctx) => {
    const caller = callerOf(ctx);
    if (!(await mayProbe(db, caller, { testZone: deps.testZone }))) {
      throw new ApiError(403, 'card_agents_only', 'the entitlement by ID number is given to card reader agents registered at this service only, for the card in their reader');
    }
    const pid = pidParam(ctx);
    await lookUp(ctx, pid, 'entitlement.viewed');
    const now = new Date(clock());
    let e;
    try {
      e = await entitlements.lookup(pid, now);
    } catch (err) {
      if (err instanceof EntitlementRegisterUnavailable) throw new ApiError(503, 'register_unavailable', 'the entitlement register cannot be reached; try again');
      throw err;
    }
    if (!e) throw new ApiError(404, 'not_found', 'no person with this ID number in the register');
    const age = ageOn(e.birthDate, thaiDay(now));
    ctx.body = {
      pid: e.pid,
      titleName: e.titleName,
      fname: e.fname,
      lname: e.lname,
      nation: '099',
      birthDate: toBuddhistDate(e.birthDate),
      sex: e.sex === 'male' ? '1' : '2',
      transDate: thaiIso(now),
      mainInscl: insclLabel(e.mainInscl),
      subInscl: insclLabel(e.subInscl),
      age: `${age.years} ปี ${age.months} เดือน ${age.days} วัน`,
      checkDate: thaiIso(now),
      claimTypes: claimTypes.validOn(thaiDay(now)).map((c) => ({ claimType: c.code, claimTypeName: c.nameTh })),
      correlationId: randomUUID(),
      hospMain: { hcode: e.hospMain.hcode, hname: e.hospMain.hname },
      hospSub: { hcode: e.hospSub.hcode, hname: e.hospSub.hname },
      hospMainOp: { hcode: e.hospMain.hcode, hname: e.hospMain.hname },
      paidModel: null,
      startDateTime: null,
    };
  });
  return router;
}
