// The administrator's page at /admin (admin role, logged in at AAL 2.1 or above): the audit log
// filtered by person, actor, unit and time; a person's evidence (looked up with a reason, audited)
// with revocation; unit administrators; provincial coverage officers; service points. Personal data travels in POST bodies only.
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Database } from '../../kernel/db/index.ts';
import type { Accounts } from '../account/index.ts';
import { normalizePid } from '../account/index.ts';
import { RoleError, type Units } from '../units/index.ts';
import { audit } from '../../kernel/audit/index.ts';
import { startAccountLogin } from '../account/pages/session.ts';
import { ADMIN_ACR, adminSession } from './session.ts';
import { accountIal, approvedEvidence, revokeEvidenceAndLogOut } from '../proofing/index.ts';
import { issueCsrfToken } from '../../kernel/http/csrf.ts';
import { formBody } from '../../kernel/http/form.ts';
import type { Lang } from '../../kernel/http/i18n.ts';
import { HttpError } from '../../kernel/http/errors.ts';
import { parseDay, parseId } from '../../kernel/http/params.ts';
import { t } from '../web/messages.ts';
import { adminPage, type AdminView } from './views.ts';
import { roleRefusal } from '../units/views.ts';
import { formatDateTime } from '../../kernel/thai/time.ts';


export function adminRoutes(deps: { provider: Provider; db: Database; accounts: Accounts; units: Units; issuer: string }) {
  const { provider, db, accounts, units, issuer } = deps;
  const router = new Router({ prefix: '/admin' });
  // empty when nothing was parsed (HEAD, or a route without a form): never undefined
  const body = (ctx: Context) => (ctx.request.body ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

  const admin = (ctx: Context) => adminSession(ctx, { provider, units });

  async function events(filter: Record<string, string>, lang: Lang) {
    const subject = filter.pid ? ((await accounts.subByPid(normalizePid(filter.pid) ?? filter.pid)) ?? '-') : null;
    const { rows } = await db.query<{ seq: string; at: Date; actor: string | null; action: string; subject: string | null; detail: unknown }>(
      `SELECT seq, at, actor, action, subject, detail FROM audit_events
       WHERE ($1::text IS NULL OR subject = $1) AND ($2::text IS NULL OR actor = $2)
         AND ($3::text IS NULL OR detail ->> 'unit' = $3 OR detail ->> 'hcode' = $3)
         AND ($4::date IS NULL OR at >= $4::date) AND ($5::date IS NULL OR at < $5::date + 1)
       ORDER BY seq DESC LIMIT 200`,
      [subject, filter.actor || null, filter.unit || null, parseDay(filter.from) ?? null, parseDay(filter.to) ?? null],
    );
    return rows.map((r) => {
      const d = (r.detail ?? {}) as Record<string, unknown>;
      const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
      return { seq: String(r.seq), at: formatDateTime(r.at, lang), actor: r.actor ?? '', action: r.action, subject: r.subject ?? '', unit: str(d.unit) ?? str(d.hcode), client: str(d.client_id), method: str(d.method), reason: str(d.reason) };
    });
  }

  async function render(ctx: Context, a: { lang: Lang; isAdmin: boolean }, extra: Partial<AdminView> = {}, status = 200) {
    const filter = extra.filter ?? {};
    ctx.status = a.isAdmin ? status : 403;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = adminPage({ lang: a.lang, csrf: issueCsrfToken(ctx), isAdmin: a.isAdmin, filter, events: a.isAdmin ? await events(filter, a.lang) : [], ...extra });
  }

  router.get('/login', (ctx) => {
    const next = typeof ctx.query.next === 'string' && /^\/admin(\/[\w./-]*)?$/.test(ctx.query.next) ? ctx.query.next : '/admin';
    return startAccountLogin(ctx, issuer, { next, acr: ADMIN_ACR });
  });

  router.get('/', async (ctx) => {
    const a = await admin(ctx);
    if (a) await render(ctx, a);
  });

  router.post('/audit', formBody(), async (ctx) => {
    const a = (await admin(ctx))!;
    const filter = Object.fromEntries(['pid', 'actor', 'unit', 'from', 'to'].map((k) => [k, str(body(ctx)[k]).slice(0, 100)]));
    if ([filter.from, filter.to].some((d) => d && !parseDay(d))) return render(ctx, a, { filter, error: t(a.lang, 'adminDateInvalid') }, 400);
    if (a.isAdmin && filter.pid) await audit(db, { actor: a.sub, action: 'admin.audit_search', clientAddress: ctx.ip, detail: { by_person: true } });
    await render(ctx, a, { filter });
  });

  router.post('/evidence', formBody(), async (ctx) => {
    const a = (await admin(ctx))!;
    if (!a.isAdmin) return render(ctx, a);
    const pid = normalizePid(str(body(ctx).evidence_pid));
    const reason = str(body(ctx).evidence_reason).slice(0, 200);
    if (!pid || !reason) return render(ctx, a, { error: t(a.lang, 'verifierReasonRequired') }, 400);
    const person = await accounts.findByPid(pid);
    await audit(db, { actor: a.sub, action: 'admin.person_search', subject: person?.sub ?? null, clientAddress: ctx.ip, detail: { reason, found: Boolean(person) } });
    if (!person) return render(ctx, a, { error: t(a.lang, 'verifierNotFound') }, 404);
    const items = await approvedEvidence(db, person.sub);
    await render(ctx, a, {
      evidence: {
        pid,
        ial: (await accountIal(db, person.sub)) ?? '-',
        items: items.map((e) => ({ id: e.id, method: e.method, checks: e.checks, at: formatDateTime(e.createdAt, a.lang), unit: e.unitHcode ?? '' })),
      },
    });
  });

  router.post('/evidence/:id/revoke', formBody(), async (ctx) => {
    const a = (await admin(ctx))!;
    if (!a.isAdmin) return render(ctx, a);
    const id = parseId(ctx.params.id);
    if (id === undefined) throw new HttpError(404, 'notFound');
    const reason = str(body(ctx).reason).slice(0, 200);
    if (!reason) return render(ctx, a, { error: t(a.lang, 'verifierReasonRequired') }, 400);
    const result = await revokeEvidenceAndLogOut({ db, provider }, id, a.sub, reason);
    if (!result) throw new HttpError(404, 'notFound');
    await render(ctx, a, { notice: t(a.lang, 'adminRevoked', { ial: result.ialAfter ?? '-' }) });
  });

  router.post('/unit-admin', formBody(), async (ctx) => {
    const a = (await admin(ctx))!;
    if (!a.isAdmin) return render(ctx, a);
    const b = body(ctx);
    const person = await accounts.findByPid(normalizePid(str(b.ua_pid)) ?? '');
    if (!person) return render(ctx, a, { error: t(a.lang, 'verifierNotFound') }, 404);
    try {
      await units.grant({ sub: person.sub, role: 'unit_admin', hcode: str(b.ua_hcode), by: a.sub, reason: str(b.ua_reason).slice(0, 200) });
    } catch (err) {
      if (!(err instanceof RoleError)) throw err;
      return render(ctx, a, { error: t(a.lang, 'adminRefused', { why: roleRefusal(a.lang, err) }) }, 400);
    }
    await render(ctx, a, { notice: t(a.lang, 'adminDone') });
  });

  // a province officer sees the coverage figures of one province (src/idp/coverage)
  router.post('/province-officer', formBody(), async (ctx) => {
    const a = (await admin(ctx))!;
    if (!a.isAdmin) return render(ctx, a);
    const b = body(ctx);
    const person = await accounts.findByPid(normalizePid(str(b.po_pid)) ?? '');
    if (!person) return render(ctx, a, { error: t(a.lang, 'verifierNotFound') }, 404);
    try {
      await units.grant({ sub: person.sub, role: 'province_officer', province: str(b.po_province), by: a.sub, reason: str(b.po_reason).slice(0, 200) });
    } catch (err) {
      if (!(err instanceof RoleError)) throw err;
      return render(ctx, a, { error: t(a.lang, 'adminRefused', { why: roleRefusal(a.lang, err) }) }, 400);
    }
    await render(ctx, a, { notice: t(a.lang, 'adminDone') });
  });

  router.post('/service-point', formBody(), async (ctx) => {
    const a = (await admin(ctx))!;
    if (!a.isAdmin) return render(ctx, a);
    const b = body(ctx);
    if (!(await units.setServicePoint(str(b.sp_hcode), b.state === 'on', a.sub))) return render(ctx, a, { error: t(a.lang, 'adminRefused', { why: roleRefusal(a.lang, { why: 'unknownUnit', unit: str(b.sp_hcode) }) }) }, 404);
    await render(ctx, a, { notice: t(a.lang, 'adminDone') });
  });

  return router;
}
