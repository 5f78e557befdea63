// Composes the Authen Code service's HTTP application: security headers, request logs, the
// agent-compatible API (JSON errors) and the web pages for citizens and staff (HTML errors).
import Koa, { type Context, type Middleware } from 'koa';
import { Router } from '@koa/router';
import type { Database } from '../kernel/db/index.ts';
import type { Logger } from '../kernel/http/log.ts';
import type { Pii } from '../kernel/pii/index.ts';
import type { Clock } from '../kernel/clock.ts';
import { requestLog } from '../kernel/http/log.ts';
import { securityHeaders } from '../kernel/http/security.ts';
import { refuseUnknownMethods } from '../kernel/http/methods.ts';
import { cookieKeys } from '../kernel/http/cookie_keys.ts';
import type { AuthencodeConfig } from './config.ts';
import type { Visits } from './visits/index.ts';
import type { ClaimTypes } from './claim_types.ts';
import type { EntitlementRegister } from './entitlement/index.ts';
import type { QrSigner } from './qr/index.ts';
import type { RelyingParty } from './relying_party.ts';
import type { CallerVerifier } from './api/caller.ts';
import type { FaceMatcher } from '../kernel/face_match/index.ts';
import { apiErrorBody, apiErrors } from './api/errors.ts';
import { apiRoutes } from './api/routes.ts';
import { authencodeMigrated } from './db.ts';
import { webMiddleware } from './web/index.ts';
import { PageError, webErrors } from './web/errors.ts';
import { requestText } from '../kernel/http/input.ts';
import { routesOf, type RouteInfo } from '../kernel/http/routes.ts';
import { metrics } from './metrics.ts';

export interface AuthencodeDeps {
  config: AuthencodeConfig;
  db: Database;
  log: Logger;
  pii: Pii;
  visits: Visits;
  claimTypes: ClaimTypes;
  entitlements: EntitlementRegister;
  qr: QrSigner;
  rp: RelyingParty;
  verifyCaller: CallerVerifier;
  /** the clock of the service's rules: the Thai day of service, entitlement dates, the API's limits */
  now: Clock;
  /** compares a staff member's photo of the patient with the chip photo of a card read beside it */
  faceMatcher?: FaceMatcher;
}

/** The Koa app, and the routes of its routers (for tools and the fuzz test). */
export function createAuthencodeApp(deps: AuthencodeDeps): Koa & { routes: RouteInfo[] } {
  const { config, db, log } = deps;
  const app = new Koa({ proxy: config.trustProxy });
  app.keys = cookieKeys(config.cookieKeys);
  app.use(requestLog(log, { requestIdFrom: config.requestIdFrom, metrics }));
  app.use(securityHeaders({ https: config.url.startsWith('https:'), connect: [config.cardAgentUrl] }));
  const isApi = (ctx: Context) => ctx.path.startsWith('/api/') || ctx.path === '/api';
  const pageErrors = webErrors(log);
  // NUL and non-UTF-8 text refused before anything reads it, in the API's or the pages' error shape
  app.use(requestText(async (ctx, refusal) => {
    if (isApi(ctx)) {
      ctx.status = refusal.status;
      ctx.body = apiErrorBody(ctx, refusal.status, 'bad_input', refusal.description);
      return;
    }
    await pageErrors(ctx, async () => {
      throw new PageError(refusal.status, refusal.status === 413 ? 'tooLarge' : 'badRequest');
    });
  }));

  const ops = new Router();
  ops.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  ops.get('/readyz', async (ctx) => {
    const ready = await authencodeMigrated(db).catch(() => false);
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not ready' };
  });
  app.use(ops.routes());

  const api = apiRoutes({ ...deps, limits: config.apiLimits, testZone: config.zone === 'test', baseUrl: config.url, audience: config.apiAudience, idpIssuer: config.idpIssuer });
  const apiErrorHandler = apiErrors(log);
  const apiStack = api.routes() as unknown as Middleware;
  const apiMethods = api.allowedMethods({ throw: true }) as unknown as Middleware;
  const apiUnknownMethods = refuseUnknownMethods(() => [api]) as unknown as Middleware;
  // everything under /api answers in the API's JSON error shape, unknown paths included
  app.use(async (ctx, next) => {
    if (!isApi(ctx)) return next();
    await apiErrorHandler(ctx, () => apiUnknownMethods(ctx, () => apiStack(ctx, () => apiMethods(ctx, async () => undefined))));
  });
  const web = webMiddleware(deps);
  for (const m of web.middleware) app.use(m);
  return Object.assign(app, { routes: routesOf([ops, api, ...web.routers]) });
}
