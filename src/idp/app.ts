// Composes the HTTP application: oidc-provider is the Koa app; our middleware and routes run before
// its protocol routes, and everything it does not handle falls through to it.
import type Provider from 'oidc-provider';
import { Router } from '@koa/router';
import type { Context, Next } from 'koa';
import type { Config } from './config.ts';
import type { Database } from '../kernel/db/index.ts';
import { migrationsApplied } from '../kernel/db/migrate.ts';
import { createAccounts, createPasswordHasher, type Accounts } from './account/index.ts';
import { createLoginThrottle } from './login/throttle.ts';
import { createPii, type Pii } from '../kernel/pii/index.ts';
import { createProvider } from './oidc/provider.ts';
import { clientAuthLimit } from './oidc/client_auth_limit.ts';
import { createRateLimiter } from '../kernel/rate_limit/index.ts';
import { systemClock, type Clock } from '../kernel/clock.ts';
import { interactionRoutes } from './login/routes.ts';
import { securityHeaders } from '../kernel/http/security.ts';
import { errorPages } from './web/errors.ts';
import { refuseUnknownMethods } from '../kernel/http/methods.ts';
import { HttpError } from '../kernel/http/errors.ts';
import { requestText } from '../kernel/http/input.ts';
import { routesOf, servesPath, type RouteInfo } from '../kernel/http/routes.ts';
import { requestLog, type Logger } from '../kernel/http/log.ts';
import type { JWK } from 'jose';
import { HttpSmsGateway, OutboxSmsGateway, type SmsGateway } from './sms/index.ts';
import { testZoneSmsRoutes } from './sms/routes.ts';
import { createPhoneOtp, type PhoneOtp } from './sms/otp.ts';
import { createAuthenticators, UPSTREAM_LOGIN_PURPOSE, upstreamLoginPurpose, type Authenticators } from './authenticators/index.ts';
import { createLoginProgress } from './login/progress.ts';
import { registrationRoutes } from './account/registration/routes.ts';
import { resetRoutes } from './account/recovery/routes.ts';
import { accountConsoleRoutes } from './account/pages/index.ts';
import { createPersonnel, type Personnel } from './personnel/index.ts';
import { accountIal, createProofing, evidenceForExport, type FaceMatcher, type PopulationRegister } from './proofing/index.ts';
import { createFaceMatcher } from '../kernel/face_match/config.ts';
import { createUnits, type Units } from './units/index.ts';
import { unitAdminRoutes } from './units/routes.ts';
import { adminRoutes } from './admin/routes.ts';
import { createRelyingParties } from './admin/relying_parties/index.ts';
import { relyingPartyRoutes } from './admin/relying_parties/routes.ts';
import { adminApiRoutes } from './admin/api/routes.ts';
import { adminApiAudience, adminApiCallers } from './admin/api/auth.ts';
import { createAuditLog, type AuditLog } from './admin/audit_log/index.ts';
import { auditLogRoutes } from './admin/audit_log/routes.ts';
import { createAccountAdmin, type AccountAdmin } from './admin/accounts/index.ts';
import { accountRoutes } from './admin/accounts/routes.ts';
import { createRoles, type Roles } from './admin/roles/index.ts';
import { roleRoutes } from './admin/roles/routes.ts';
import { createDeletionRequests, type DeletionRequests } from './admin/deletion/index.ts';
import { deletionRoutes } from './admin/deletion/routes.ts';
import { createResourceServers, type ResourceServers } from './admin/resource_servers/index.ts';
import { resourceServerRoutes } from './admin/resource_servers/routes.ts';
import { createUnitsAdmin, type UnitsAdmin } from './admin/units/index.ts';
import { unitsAdminRoutes } from './admin/units/routes.ts';
import { createCardAgentAdmin, type CardAgentAdmin } from './admin/card_agents/index.ts';
import { cardAgentAdminRoutes } from './admin/card_agents/routes.ts';
import { normalizePid } from './account/index.ts';
import { activeAgentKey, createCardAgents, type CardAgents } from './card_agents/index.ts';
import { cardAgentApiRoutes } from './card_agents/routes.ts';
import { metrics, observeProvider } from './metrics.ts';
import { createUpstreams, thaidProvider } from './upstream/index.ts';
import { createCoverage, findCoverageApiClient, type Coverage, type ResidenceRegister } from './coverage/index.ts';
import { publicKeys } from '../kernel/http/access_token.ts';

export interface App {
  provider: Provider;
  accounts: Accounts;
  pii: Pii;
  sms: SmsGateway;
  phoneOtp: PhoneOtp;
  authenticators: Authenticators;
  personnel: Personnel;
  units: Units;
  cardAgents: CardAgents;
  /** Digital ID coverage: registers, refresher, reports (docs/coverage.md) */
  coverage: Coverage;
  /** the administration console's rules (the admin API and mpid call the same) */
  admin: { auditLog: AuditLog; accountAdmin: AccountAdmin; roles: Roles; deletions: DeletionRequests; resourceServers: ResourceServers; unitsAdmin: UnitsAdmin; cardAgents: CardAgentAdmin };
  /** the face matcher in use, if any (its workers end with the server) */
  faceMatcher?: FaceMatcher;
  /** our routes (oidc-provider's own are in its discovery document) */
  routes: RouteInfo[];
  callback: ReturnType<Provider['callback']>;
}

function opsRoutes(db: Database) {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    try {
      const ready = await migrationsApplied(db);
      ctx.status = ready ? 200 : 503;
      ctx.body = { status: ready ? 'ready' : 'migrations pending', database: 'reachable' };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'not ready', database: 'unreachable' };
    }
  });
  return router;
}

/**
 * Our routers, run only for a path one of them serves: the protocol endpoints (/token, /auth, /me …)
 * go straight on to oidc-provider instead of through every router's matching. A router answers nothing
 * on a path it has no route for (no router here has path-less middleware), so skipping it changes no
 * answer. The paths found not served are remembered (bounded; /auth/<uid> varies).
 */
function ourRoutes(routers: Router[]) {
  const chain = routers.flatMap((r) => [r.routes(), r.allowedMethods()]) as Array<(ctx: Context, next: Next) => Promise<unknown>>;
  const run = (i: number, ctx: Context, next: Next): Promise<unknown> => (i === chain.length ? next() : chain[i]!(ctx, () => run(i + 1, ctx, next)));
  const notOurs = new Set<string>();
  return function ourRoutesMiddleware(ctx: Context, next: Next) {
    if (notOurs.has(ctx.path)) return next();
    if (!servesPath(routers, ctx.path)) {
      if (notOurs.size >= 1000) notOurs.clear();
      notOurs.add(ctx.path);
      return next();
    }
    return run(0, ctx, next);
  };
}

/** `now`: the clock our own time rules read (TOTP steps, code expiry, back-off); tests pass their own. */
export function createApp(opts: { config: Config; db: Database; log: Logger; jwks: JWK[]; sms?: SmsGateway; population?: PopulationRegister; residence?: ResidenceRegister; now?: Clock }): App {
  const { config, db, log, jwks } = opts;
  const now = opts.now ?? systemClock;
  const pii = createPii(config.piiKey);
  const hasher = createPasswordHasher(config.argon2);
  const accounts = createAccounts(db, pii, hasher);
  const throttle = createLoginThrottle(db, pii, config.login, now);
  const outbox = config.zone === 'test' ? new OutboxSmsGateway(db, pii) : undefined;
  // config guarantees a gateway in production; the test zone uses one only when it is configured
  const sms = opts.sms ?? (config.smsGateway ? new HttpSmsGateway(config.smsGateway) : outbox!);
  const phoneOtp = createPhoneOtp(db, pii, sms, undefined, now);
  const issuer = new URL(config.issuer);
  const personnel = createPersonnel(db, pii);
  const units = createUnits(db, pii);
  const fm = config.faceMatch;
  const matcher = createFaceMatcher(fm);
  const limiter = createRateLimiter(db, { now });
  // upstream identity providers: ThaID when configured; each purpose's page takes what its login vouched for
  const upstreams = createUpstreams({
    db, pii, issuer: config.issuer, limiter, limit: config.upstreamCallbackLimit,
    providers: config.thaid ? [thaidProvider(config.thaid)] : [],
    purposes: {
      register: { done: '/register/digital-id', back: '/register' },
      verify: { done: '/account/verify/digital-id', back: '/account/verify' },
      [UPSTREAM_LOGIN_PURPOSE]: upstreamLoginPurpose,
    },
  });
  const proofing = createProofing({ db, pii, accounts, units, population: opts.population, faceMatcher: matcher, faceMatchThreshold: config.faceMatchThreshold, cardAgentUrl: config.cardAgentUrl, testZone: config.zone === 'test', upstreams });
  const authenticators = createAuthenticators({
    db, pii, accounts, hasher, throttle, phoneOtp, now,
    relyingParty: { rpID: issuer.hostname, rpName: 'Mor Prom ID', origin: issuer.origin },
    // a login at ThaID stands for one here only where THAID_LOGIN allows it, for the account it proved
    upstreamLogin: { db, upstreams, accountOf: (a) => proofing.accountProvedBy(a) },
  });
  const provider = createProvider({ config, db, accounts, jwks, healthPersonnel: (sub) => personnel.healthPersonnelClaim(sub), agentKeyOf: (id) => activeAgentKey(db, id),
    // the coverage API's tokens go only to the clients an operator allowed (mpid coverage client allow)
    resourceAllowed: async (resource, clientId) => resource !== config.coverage.apiAudience || Boolean(await findCoverageApiClient(db, clientId)),
  });
  const cardAgents = createCardAgents({ db, pii, provider, now });
  const relyingParties = createRelyingParties({ db, provider });
  const coverage = createCoverage({ db, accounts, units, residence: opts.residence, minIal: config.coverage.minIal });
  // the public half of each signing key: the coverage API checks its JWT access tokens against them
  const publicJwks = publicKeys(jwks);
  const auditLog = createAuditLog({ db, subByPid: (pid) => accounts.subByPid(pid), normalizePid });
  const accountAdmin = createAccountAdmin({ db, accounts, authenticators, throttle, sms, units });
  const deletions = createDeletionRequests({ db, accounts, authenticators, personnel, units, sms });
  const roles = createRoles({ units, accountExists: async (sub) => Boolean(await accounts.findBySub(sub)) });
  // the IdP's own resource servers (registered by server.ts at start) are built in
  const resourceServers = createResourceServers({ db, builtIn: [adminApiAudience(config.issuer), config.coverage.apiAudience] });
  const unitsAdmin = createUnitsAdmin({ db, units });
  const cardAgentAdmin = createCardAgentAdmin({ cardAgents });

  // a database error is logged by its code only (log.ts): its message may echo what was sent
  provider.on('server_error', (_ctx, err) => log.error({ err }, 'oidc server_error'));
  provider.on('grant.revoked', (_ctx, grantId) => log.info({ grantId }, 'grant revoked'));
  observeProvider(provider);

  const ops = opsRoutes(db);
  const smsOutbox = outbox && testZoneSmsRoutes(outbox);
  const interaction = interactionRoutes({ provider, db, throttle, progress: createLoginProgress(db), authenticators, units });
  const routers = [
    interaction,
    upstreams.routes(),
    registrationRoutes({ db, pii, accounts, hasher, phoneOtp, sms, issuer: config.issuer, digitalId: proofing.digitalIdRegistration }),
    resetRoutes({ db, accounts, hasher, phoneOtp, throttle, issuer: config.issuer }),
    accountConsoleRoutes({ provider, db, pii, accounts, phoneOtp, authenticators, personnel, issuer: config.issuer, accountIal, evidenceForExport, identityLock: proofing.identityLock }),
    ...proofing.routers({ provider, issuer: config.issuer }),
    unitAdminRoutes({ provider, accounts, units, cardAgents }),
    adminRoutes({ provider, db, accounts, units, issuer: config.issuer }),
    relyingPartyRoutes({ provider, units, relyingParties }),
    auditLogRoutes({ provider, units, auditLog }),
    accountRoutes({ provider, units, accountAdmin }),
    roleRoutes({ provider, units, roles, subByPid: (pid) => accounts.subByPid(pid) }),
    deletionRoutes({ provider, units, deletions }),
    resourceServerRoutes({ provider, units, resourceServers }),
    unitsAdminRoutes({ provider, units, unitsAdmin }),
    cardAgentAdminRoutes({ provider, units, cardAgentAdmin }),
    adminApiRoutes({ relyingParties, auditLog, accountAdmin, roles, deletions, resourceServers, unitsAdmin, cardAgents: cardAgentAdmin, caller: adminApiCallers({ db, issuer: config.issuer, jwks }), limiter, limit: config.clientAuthLimit, pii, issuer: config.issuer }),
    cardAgentApiRoutes({ cardAgents, pii, limiter, limit: config.cardAgentPairLimit, issuer: config.issuer, tokenEndpoint: provider.urlFor('token') }),
    coverage.routes({ provider, issuer: config.issuer, yearStart: config.coverage.yearStart, apiAudience: config.coverage.apiAudience, publicJwks }),
  ];
  const ours = [ops, ...(smsOutbox ? [smsOutbox] : []), ...routers];

  provider.use(requestLog(log, { requestIdFrom: config.requestIdFrom, metrics }));
  provider.use(securityHeaders({ https: config.issuer.startsWith('https:'), connect: [config.cardAgentUrl] }));
  provider.use(errorPages(log));
  provider.use(clientAuthLimit(limiter, pii, config.clientAuthLimit));
  provider.use(refuseUnknownMethods(() => ours));
  // NUL and non-UTF-8 text refused before anything reads it: as an error page on our routes, as an
  // OIDC error object on oidc-provider's
  provider.use(requestText((ctx, refusal) => {
    if (servesPath(ours, ctx.path)) throw new HttpError(refusal.status, refusal.status === 413 ? 'tooLarge' : 'badRequest');
    ctx.status = refusal.status;
    ctx.body = { error: 'invalid_request', error_description: refusal.description };
  }));
  provider.use(ops.routes());
  if (smsOutbox) provider.use(smsOutbox.routes());
  provider.use(ourRoutes(routers));

  return { provider, accounts, pii, sms, phoneOtp, authenticators, personnel, units, cardAgents, coverage, admin: { auditLog, accountAdmin, roles, deletions, resourceServers, unitsAdmin, cardAgents: cardAgentAdmin }, faceMatcher: matcher, routes: routesOf(ours), callback: provider.callback() };
}
