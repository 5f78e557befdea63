// The verifier console's shell at /verifier: only an appointed verifier, logged in at AAL 2.1 or above,
// at one of their units. Every search by ID number is an audit event with its reason; the person found
// is shown with each method's forms (methods/index.ts), and the verifier sees their own decisions. The
// methods mount their routes here; unit administration (/verifier/unit) is units/routes.ts.
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Database } from '../../../kernel/db/index.ts';
import type { Accounts } from '../../account/index.ts';
import { normalizePid, isValidPid } from '../../account/index.ts';
import type { Units } from '../../units/index.ts';
import { audit } from '../../../kernel/audit/index.ts';
import { accountSession, startAccountLogin, type AccountSession } from '../../account/pages/session.ts';
import { acrRank } from '../../oidc/acr.ts';
import { accountIal, ialRank } from '../ial.ts';
import { decisionsBy } from '../evidence.ts';
import { formatDate } from '../../../kernel/thai/dates.ts';
import { issueCsrfToken, requireCsrf } from '../../../kernel/http/csrf.ts';
import { formBody } from '../../../kernel/http/form.ts';
import { pickLang, type Lang } from '../../../kernel/http/i18n.ts';
import { HttpError } from '../../../kernel/http/errors.ts';
import { t } from '../../web/messages.ts';
import type { FieldErrors } from '../../../kernel/web/form.ts';
import { verifierPage } from './views.ts';
import type { ProofingMethod } from '../method.ts';
import { formatDateTime } from '../../../kernel/thai/time.ts';

const VERIFIER_ACR = 'urn:th:etda:aal:2.1';

/** The verifier and the unit they act at (none: not appointed, or no longer eligible). */
export interface Verifier {
  session: AccountSession;
  lang: Lang;
  unit?: { hcode: string; name: string };
}

export interface PersonView {
  sub: string;
  name: string;
  birthdate: string;
  ial: string;
}

/** What a method's verifier routes are given by the console. */
export interface VerifierConsole {
  /** the verifier, or undefined when the request was sent to log in at AAL 2.1 */
  verifier(ctx: Context): Promise<Verifier | undefined>;
  /** the person as a verifier sees them: names, birth date, IAL */
  person(sub: string, lang: Lang): Promise<PersonView | undefined>;
  /** the console's page, with the person found and a notice or the errors of a form */
  home(ctx: Context, v: Verifier, extra?: { person?: PersonView; errors?: FieldErrors; notice?: string }, status?: number): Promise<void>;
  requireCsrf(ctx: Context): void;
}

/** A session at AAL 2.1 or above; otherwise a redirect to log in at that level (or a refusal). */
export async function verifierSession(ctx: Context, provider: Provider): Promise<AccountSession | undefined> {
  const session = await accountSession(ctx, provider);
  if (session && acrRank(session.acr) >= acrRank(VERIFIER_ACR)) return session;
  if (ctx.method !== 'GET') throw new HttpError(401, 'sessionExpired');
  // the language chosen (?lang= or the cookie) is remembered and goes to the login page too
  ctx.redirect(`/verifier/login?next=${encodeURIComponent(ctx.path)}&lang=${pickLang(ctx)}`);
  return undefined;
}

export function verifierRoutes(deps: { provider: Provider; db: Database; accounts: Accounts; units: Units; issuer: string; methods: ProofingMethod[] }) {
  const { provider, db, accounts, units, issuer, methods } = deps;
  const router = new Router({ prefix: '/verifier' });
  const sides = methods.flatMap((m) => (m.verifier ? [m.verifier] : []));
  // empty when nothing was parsed (HEAD, or a route without a form): never undefined
  const body = (ctx: Context) => (ctx.request.body ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

  async function verifier(ctx: Context): Promise<Verifier | undefined> {
    const session = await verifierSession(ctx, provider);
    if (!session) return undefined;
    // appointed, and still eligible: an IAL that dropped (revoked evidence) stops the verifier at once
    const eligible = ialRank(await accountIal(db, session.sub)) >= ialRank('2.3');
    const mine = eligible ? await units.verifierUnits(session.sub) : [];
    const wanted = str(ctx.method === 'GET' ? ctx.query.unit : body(ctx).unit);
    return { session, lang: pickLang(ctx), unit: mine.find((u) => u.hcode === wanted) ?? mine[0] };
  }

  async function person(sub: string, lang: Lang): Promise<PersonView | undefined> {
    const a = await accounts.findBySub(sub);
    return a && { sub, name: `${a.title ?? ''} ${a.givenName} ${a.familyName}`.trim(), birthdate: formatDate(a.birthdate, lang), ial: (await accountIal(db, sub)) ?? '-' };
  }

  async function home(ctx: Context, v: Verifier, extra: { person?: PersonView; errors?: FieldErrors; notice?: string } = {}, status = 200) {
    const history = await decisionsBy(db, v.session.sub, 50);
    const errors = extra.errors ?? {};
    const csrf = issueCsrfToken(ctx);
    const found = extra.person;
    const unit = v.unit;
    const personSections = found && unit
      ? await Promise.all(sides.flatMap((s) => (s.personSection ? [s.personSection({ lang: v.lang, csrf, unit: unit.hcode, sub: found.sub, verifierSub: v.session.sub, errors })] : [])))
      : [];
    ctx.status = unit ? status : 403;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = verifierPage({
      lang: v.lang,
      csrf,
      unit: v.unit,
      errors,
      notice: extra.notice,
      labels: Object.assign({}, ...sides.map((s) => s.fields?.(v.lang) ?? {})),
      person: found,
      personSections,
      scripts: found && unit ? [...new Set(sides.flatMap((s) => s.scripts ?? []))] : [],
      history: history.map((r) => ({ at: formatDateTime(r.createdAt, v.lang), method: r.method, checks: r.checks })),
    });
  }

  router.get('/login', (ctx) => startAccountLogin(ctx, issuer, { next: ctx.query.next === '/verifier/unit' ? '/verifier/unit' : '/verifier', acr: VERIFIER_ACR }));

  router.get('/', async (ctx) => {
    const v = await verifier(ctx);
    if (v) await home(ctx, v);
  });

  router.post('/search', formBody(), async (ctx) => {
    requireCsrf(ctx);
    const v = await verifier(ctx);
    if (!v?.unit) return v && home(ctx, v);
    const pid = normalizePid(str(body(ctx).pid));
    const reason = str(body(ctx).reason).slice(0, 200);
    const errors: FieldErrors = {};
    if (!pid || !isValidPid(pid)) errors.pid = t(v.lang, 'errPidCheck');
    if (!reason) errors.reason = t(v.lang, 'verifierReasonRequired');
    if (Object.keys(errors).length) return home(ctx, v, { errors }, 400);
    const found = await accounts.findByPid(pid!);
    await audit(db, { actor: v.session.sub, action: 'verifier.search', subject: found?.sub ?? null, clientAddress: ctx.ip, detail: { reason, unit: v.unit.hcode, found: Boolean(found) } });
    if (!found) return home(ctx, v, { errors: { pid: t(v.lang, 'verifierNotFound') } }, 404);
    await home(ctx, v, { person: await person(found.sub, v.lang) });
  });

  const shell: VerifierConsole = { verifier, person, home, requireCsrf };
  for (const side of sides) side.routes?.(router, shell);
  return router;
}
