// The verifier console at /verifier: only an appointed verifier, logged in at AAL 2.1 or above, at
// one of their units. Every search by ID number is an audit event with its reason; in-person
// verification records evidence; the verifier sees the history of their own decisions.
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Database } from '../../../kernel/db/index.ts';
import type { Accounts } from '../../account/index.ts';
import { normalizePid, isValidPid } from '../../account/index.ts';
import { RoleError, type Units } from '../../units/index.ts';
import { audit } from '../../../kernel/audit/index.ts';
import { accountSession, startAccountLogin, type AccountSession } from '../../account/pages/session.ts';
import { acrRank } from '../../oidc/acr.ts';
import { accountIal, ialRank } from '../ial.ts';
import { formatDate } from '../../../kernel/thai/dates.ts';
import { checkCsrfToken, issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { formBody } from '../../../kernel/http/form.ts';
import { pickLang, type Lang } from '../../../kernel/http/i18n.ts';
import { HttpError } from '../../../kernel/http/errors.ts';
import { parseId } from '../../../kernel/http/params.ts';
import { t, type MessageKey } from '../../web/messages.ts';
import type { FieldErrors } from '../../../kernel/web/form.ts';
import { unitAdminPage, verifierPage, type VerifierView } from './views/pages.ts';
import { verifyByHand, verifyInPerson } from '../methods/in_person/index.ts';
import type { PhotoReview } from '../methods/photo_with_card/index.ts';
import { photoQueuePage } from './views/queue.ts';
import { parseBirthdate } from '../../../kernel/thai/dates.ts';

const VERIFIER_ACR = 'urn:th:etda:aal:2.1';
const REFUSALS: Record<string, MessageKey> = { self: 'verifierSelf', card_refused: 'verifierCardRefused', not_this_person: 'verifierNotThisPerson', card_expired: 'verifierCardExpired', no_account: 'verifierNotFound' };

export function verifierRoutes(deps: { provider: Provider; db: Database; accounts: Accounts; units: Units; photoReview: PhotoReview; issuer: string; testZone: boolean }) {
  const { provider, db, accounts, units, photoReview, issuer, testZone } = deps;
  const router = new Router({ prefix: '/verifier' });
  // empty when nothing was parsed (HEAD, or a route without a form): never undefined
  const body = (ctx: Context) => (ctx.request.body ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

  /** A session at AAL 2.1 or above; otherwise a redirect to log in at that level (or a refusal). */
  async function strongSession(ctx: Context): Promise<AccountSession | undefined> {
    const session = await accountSession(ctx, provider);
    if (session && acrRank(session.acr) >= acrRank(VERIFIER_ACR)) return session;
    if (ctx.method !== 'GET') throw new HttpError(401, 'sessionExpired');
    ctx.redirect(`/verifier/login?next=${encodeURIComponent(ctx.path)}`);
    return undefined;
  }

  /** The verifier and the unit they act at. */
  async function verifier(ctx: Context): Promise<{ session: AccountSession; lang: Lang; unit?: { hcode: string; name: string } } | undefined> {
    const session = await strongSession(ctx);
    if (!session) return undefined;
    // appointed, and still eligible: an IAL that dropped (revoked evidence) stops the verifier at once
    const eligible = ialRank(await accountIal(db, session.sub)) >= ialRank('2.3');
    const mine = eligible ? await units.verifierUnits(session.sub) : [];
    const wanted = str(ctx.method === 'GET' ? ctx.query.unit : body(ctx).unit);
    return { session, lang: pickLang(ctx), unit: mine.find((u) => u.hcode === wanted) ?? mine[0] };
  }

  async function render(ctx: Context, v: NonNullable<Awaited<ReturnType<typeof verifier>>>, extra: Partial<VerifierView> = {}, status = 200) {
    const { rows } = await db.query<{ created_at: Date; method: string; checks: string[] }>(
      'SELECT created_at, method, checks FROM evidence WHERE verifier_sub = $1 ORDER BY created_at DESC LIMIT 50',
      [v.session.sub],
    );
    ctx.status = v.unit ? status : 403;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = verifierPage({
      lang: v.lang,
      csrf: issueCsrfToken(ctx),
      unit: v.unit,
      errors: {},
      testZone,
      history: rows.map((r) => ({ at: new Date(r.created_at).toISOString().slice(0, 16).replace('T', ' '), method: r.method, checks: r.checks.join(', ') })),
      ...extra,
    });
  }

  async function personView(sub: string, lang: Lang) {
    const a = await accounts.findBySub(sub);
    return a && { sub, name: `${a.title ?? ''} ${a.givenName} ${a.familyName}`.trim(), birthdate: formatDate(a.birthdate, lang), ial: (await accountIal(db, sub)) ?? '-' };
  }

  const requireCsrf = (ctx: Context) => {
    if (!checkCsrfToken(ctx, body(ctx).csrf)) throw new HttpError(403, 'csrfError');
  };

  router.get('/login', (ctx) => startAccountLogin(ctx, issuer, { next: ctx.query.next === '/verifier/unit' ? '/verifier/unit' : '/verifier', acr: VERIFIER_ACR }));

  // Unit administrators appoint and withdraw the verifiers of their unit
  async function unitAdmin(ctx: Context) {
    const session = await strongSession(ctx);
    if (!session) return undefined;
    const mine = await units.adminUnits(session.sub);
    const wanted = str(ctx.method === 'GET' ? ctx.query.unit : body(ctx).unit);
    return { session, lang: pickLang(ctx), unit: mine.find((u) => u.hcode === wanted) ?? mine[0] };
  }

  async function renderUnit(ctx: Context, a: NonNullable<Awaited<ReturnType<typeof unitAdmin>>>, extra: { errors?: FieldErrors; notice?: string } = {}, status = 200) {
    const verifiers = a.unit ? await units.verifiersAt(a.unit.hcode) : [];
    const named = await Promise.all(
      verifiers.map(async (v) => {
        const acc = await accounts.findBySub(v.sub);
        return { sub: v.sub, name: acc ? `${acc.givenName} ${acc.familyName}` : v.sub, since: new Date(v.grantedAt).toISOString().slice(0, 10), withdrawnReason: v.withdrawnAt ? (v.withdrawReason ?? '') : null };
      }),
    );
    ctx.status = a.unit ? status : 403;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = unitAdminPage({ lang: a.lang, csrf: issueCsrfToken(ctx), unit: a.unit, verifiers: named, errors: extra.errors ?? {}, notice: extra.notice });
  }

  router.get('/unit', async (ctx) => {
    const a = await unitAdmin(ctx);
    if (a) await renderUnit(ctx, a);
  });

  router.post('/unit/appoint', formBody(), async (ctx) => {
    requireCsrf(ctx);
    const a = await unitAdmin(ctx);
    if (!a?.unit) return a && renderUnit(ctx, a);
    const pid = normalizePid(str(body(ctx).pid));
    const reason = str(body(ctx).reason).slice(0, 200);
    const person = pid && isValidPid(pid) ? await accounts.findByPid(pid) : undefined;
    if (!person) return renderUnit(ctx, a, { errors: { pid: t(a.lang, 'verifierNotFound') } }, 400);
    try {
      await units.grant({ sub: person.sub, role: 'verifier', hcode: a.unit.hcode, by: a.session.sub, reason });
    } catch (err) {
      if (!(err instanceof RoleError)) throw err;
      return renderUnit(ctx, a, { errors: { pid: t(a.lang, 'unitAdminRefused', { why: err.message }) } }, 400);
    }
    await renderUnit(ctx, a, { notice: t(a.lang, 'unitAdminAppointed') });
  });

  router.post('/unit/withdraw', formBody(), async (ctx) => {
    requireCsrf(ctx);
    const a = await unitAdmin(ctx);
    if (!a?.unit) return a && renderUnit(ctx, a);
    const reason = str(body(ctx).reason).slice(0, 200);
    if (!reason) return renderUnit(ctx, a, { errors: { reason: t(a.lang, 'verifierReasonRequired') } }, 400);
    if (!(await units.withdraw({ sub: str(body(ctx).sub), role: 'verifier', hcode: a.unit.hcode, by: a.session.sub, reason }))) throw new HttpError(404, 'notFound');
    await renderUnit(ctx, a, { notice: t(a.lang, 'unitAdminWithdrawn') });
  });

  router.get('/', async (ctx) => {
    const v = await verifier(ctx);
    if (v) await render(ctx, v);
  });

  router.post('/search', formBody(), async (ctx) => {
    requireCsrf(ctx);
    const v = await verifier(ctx);
    if (!v?.unit) return v && render(ctx, v);
    const pid = normalizePid(str(body(ctx).pid));
    const reason = str(body(ctx).reason).slice(0, 200);
    const errors: FieldErrors = {};
    if (!pid || !isValidPid(pid)) errors.pid = t(v.lang, 'errPidCheck');
    if (!reason) errors.reason = t(v.lang, 'verifierReasonRequired');
    if (Object.keys(errors).length) return render(ctx, v, { errors }, 400);
    const found = await accounts.findByPid(pid!);
    await audit(db, { actor: v.session.sub, action: 'verifier.search', subject: found?.sub ?? null, clientAddress: ctx.ip, detail: { reason, unit: v.unit.hcode, found: Boolean(found) } });
    if (!found) return render(ctx, v, { errors: { pid: t(v.lang, 'verifierNotFound') } }, 404);
    await render(ctx, v, { person: await personView(found.sub, v.lang) });
  });

  router.post('/in-person', formBody(), async (ctx) => {
    requireCsrf(ctx);
    const v = await verifier(ctx);
    if (!v?.unit) return v && render(ctx, v);
    const b = body(ctx);
    const sub = str(b.sub);
    const result = await verifyInPerson(
      { db, accounts },
      { verifierSub: v.session.sub, hcode: v.unit.hcode, sub, cardRead: str(b.card_read), cardStatusConfirmed: b.card_status === 'yes', faceCompared: b.face_compared === 'yes', reason: str(b.note).slice(0, 200) },
    );
    const person = await personView(sub, v.lang);
    if (!result.ok) return render(ctx, v, { person, errors: { card_read: t(v.lang, REFUSALS[result.reason]!) } }, result.reason === 'no_account' ? 404 : 400);
    await render(ctx, v, { person, notice: t(v.lang, 'verifierDone', { ial: person?.ial ?? '-' }) });
  });

  // The photo-with-card review queue of the verifier's unit (and of "any unit")
  async function renderQueue(ctx: Context, v: NonNullable<Awaited<ReturnType<typeof verifier>>>, extra: { notice?: string; error?: string } = {}, status = 200) {
    const items = v.unit ? await photoReview.queue(v.unit.hcode) : [];
    const people = await Promise.all(items.map(async (i) => ({ ...i, person: await personView(i.sub, v.lang) })));
    ctx.status = v.unit ? status : 403;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = photoQueuePage({
      lang: v.lang,
      csrf: issueCsrfToken(ctx),
      unit: v.unit,
      threshold: photoReview.threshold,
      items: people.map((i) => ({ id: i.id, self: i.sub === v.session.sub, name: i.person?.name ?? '', birthdate: i.person?.birthdate ?? '', faceScore: i.faceScore, submitted: new Date(i.createdAt).toISOString().slice(0, 16).replace('T', ' ') })),
      ...extra,
    });
  }

  router.get('/queue', async (ctx) => {
    const v = await verifier(ctx);
    if (v) await renderQueue(ctx, v);
  });

  router.get('/photo/:id/:which', async (ctx) => {
    const v = await verifier(ctx);
    if (!v) return;
    const which = ctx.params.which;
    const id = parseId(ctx.params.id);
    if (!v.unit || (which !== 'face' && which !== 'card') || id === undefined) throw new HttpError(404, 'notFound');
    const jpeg = await photoReview.photo(id, which, v.unit.hcode);
    if (!jpeg) throw new HttpError(404, 'notFound');
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'image/jpeg';
    ctx.body = jpeg;
  });

  router.post('/queue/:id', formBody(), async (ctx) => {
    requireCsrf(ctx);
    const v = await verifier(ctx);
    if (!v?.unit) return v && renderQueue(ctx, v);
    const id = parseId(ctx.params.id);
    if (id === undefined) throw new HttpError(404, 'notFound');
    const b = body(ctx);
    const decision = b.decision === 'approve' ? 'approved' : b.decision === 'reject' ? 'rejected' : undefined;
    if (!decision) throw new HttpError(400, 'badForm');
    const result = await photoReview.decide({ id, verifierSub: v.session.sub, hcode: v.unit.hcode, decision, reason: str(b.reason).slice(0, 200), faceConfirmed: b.face_match === 'yes' });
    if (result === 'not_found') throw new HttpError(404, 'notFound');
    if (result === 'self') return renderQueue(ctx, v, { error: t(v.lang, 'verifierSelf') }, 400);
    if (result === 'reason_required') return renderQueue(ctx, v, { error: t(v.lang, 'verifierReasonRequired') }, 400);
    await renderQueue(ctx, v, { notice: t(v.lang, decision === 'approved' ? 'queueApproved' : 'queueRejected') });
  });

  // test zone only: the route does not exist in production
  if (testZone) {
    router.post('/by-hand', formBody(), async (ctx) => {
      requireCsrf(ctx);
      const v = await verifier(ctx);
      if (!v?.unit) return v && render(ctx, v);
      const b = body(ctx);
      const sub = str(b.sub);
      const birth = parseBirthdate(str(b.birth_day), str(b.birth_month), str(b.birth_year));
      const expiry = parseBirthdate(str(b.expiry_day), str(b.expiry_month), str(b.expiry_year), new Date(Date.UTC(2150, 0, 1)));
      const result = await verifyByHand(
        { db, accounts },
        {
          verifierSub: v.session.sub,
          hcode: v.unit.hcode,
          sub,
          card: { pid: normalizePid(str(b.pid)) ?? '', givenName: str(b.given_name), familyName: str(b.family_name), birthdate: birth.ok ? birth.iso : '', expiry: expiry.ok ? expiry.iso : '' },
          cardStatusConfirmed: b.card_status === 'yes',
          reason: str(b.note).slice(0, 200),
        },
      );
      const person = await personView(sub, v.lang);
      if (!result.ok) return render(ctx, v, { person, errors: { card_read: t(v.lang, REFUSALS[result.reason]!) } }, result.reason === 'no_account' ? 404 : 400);
      await render(ctx, v, { person, notice: t(v.lang, 'verifierDone', { ial: person?.ial ?? '-' }) });
    });
  }

  return router;
}
