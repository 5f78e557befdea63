// The account pages (/admin/accounts): a search by ID number with a reason (POST, audited) that leads
// to the account's page by its sub; the page's actions go to the same rules as the admin API (./index.ts).
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Units } from '../../units/index.ts';
import { formBody } from '../../../kernel/http/form.ts';
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { HttpError } from '../../../kernel/http/errors.ts';
import { formatDateTime } from '../../../kernel/thai/time.ts';
import { t } from '../../web/messages.ts';
import { consoleKit } from '../console.ts';
import type { AdminSession } from '../session.ts';
import { AccountAdminError, IDENTITY_CHECKS, type AccountAdmin, type AccountOverview } from './index.ts';
import { accountFindPage, accountPage, type AccountView } from './views.ts';

export function accountView(o: AccountOverview, lang: 'th' | 'en'): AccountView {
  const m = o.authenticators as { password?: boolean; authenticator_app?: { confirmed_at?: Date } | null; passkeys?: Array<{ name: string; created_at: Date }>; recovery_codes_left?: number };
  return {
    sub: o.sub, pidMasked: o.pidMasked, name: o.name, nameEn: o.nameEn, birthdate: o.birthdate, phoneMasked: o.phoneMasked, phoneVerified: o.phoneVerified,
    ial: o.ial, aal: o.aal, password: m.password === true,
    app: m.authenticator_app ? { since: m.authenticator_app.confirmed_at ? formatDateTime(m.authenticator_app.confirmed_at, lang) : '-' } : null,
    passkeys: (m.passkeys ?? []).map((k) => ({ name: k.name, created: formatDateTime(k.created_at, lang) })), recoveryCodes: m.recovery_codes_left ?? 0,
    lockedUntil: o.locked.lockedUntil ? formatDateTime(o.locked.lockedUntil, lang) : null, failures: o.locked.failures,
    sessions: o.sessions.map((s) => ({ at: s.loginTs ? formatDateTime(s.loginTs * 1000, lang) : '-', acr: s.acr ?? '' })),
    applications: o.applications,
    roles: o.roles.map((r) => ({ role: r.role, unit: r.hcode, granted: formatDateTime(r.grantedAt, lang), withdrawn: r.withdrawnAt ? formatDateTime(r.withdrawnAt, lang) : null })),
  };
}

export function accountRoutes(deps: { provider: Provider; units: Units; accountAdmin: AccountAdmin }) {
  const { accountAdmin } = deps;
  const kit = consoleKit(deps);
  const router = new Router({ prefix: '/admin/accounts' });
  const subOf = (ctx: Context) => {
    const sub = ctx.params.sub ?? '';
    if (!/^[\w-]{1,64}$/.test(sub)) throw new HttpError(404, 'notFound');
    return sub;
  };

  async function render(ctx: Context, a: AdminSession, sub: string, o: { notice?: string; errors?: Record<string, string>; status?: number } = {}) {
    let overview: AccountOverview;
    try {
      overview = await accountAdmin.overview(sub);
    } catch (err) {
      if (err instanceof AccountAdminError && err.status === 404) throw new HttpError(404, 'notFound');
      throw err;
    }
    kit.show(ctx, accountPage(a.lang, { csrf: issueCsrfToken(ctx), a: accountView(overview, a.lang), notice: o.notice, errors: o.errors ?? {}, checks: IDENTITY_CHECKS }), o.status);
  }
  const refusalWords = (a: AdminSession, err: AccountAdminError) => (err.status === 403 ? t(a.lang, 'acSelf') : err.status === 409 ? t(a.lang, 'acNotLockedRefused') : err.message);

  router.get('/', async (ctx) => {
    const a = await kit.administrator(ctx);
    if (a) kit.show(ctx, accountFindPage(a.lang, { csrf: issueCsrfToken(ctx), errors: {} }));
  });

  router.post('/find', formBody(), async (ctx) => {
    const a = await kit.administrator(ctx);
    if (!a) return;
    const pid = kit.str(kit.body(ctx).pid, 17);
    const reason = kit.str(kit.body(ctx).reason);
    const errors: Record<string, string> = {};
    if (!pid) errors.pid = t(a.lang, 'acPidInvalid');
    if (!reason) errors.reason = t(a.lang, 'acReasonRequired');
    if (!Object.keys(errors).length) {
      try {
        const sub = await accountAdmin.find(kit.actor(a), pid, reason, ctx.ip);
        ctx.status = 303;
        return ctx.redirect(`/admin/accounts/${encodeURIComponent(sub)}?lang=${a.lang}`);
      } catch (err) {
        if (!(err instanceof AccountAdminError)) throw err;
        errors.pid = t(a.lang, err.status === 404 ? 'acNotFound' : 'acPidInvalid');
      }
    }
    kit.show(ctx, accountFindPage(a.lang, { csrf: issueCsrfToken(ctx), pid, errors }), errors.pid === t(a.lang, 'acNotFound') ? 404 : 400);
  });

  router.get('/:sub', async (ctx) => {
    const a = await kit.administrator(ctx);
    if (a) await render(ctx, a, subOf(ctx));
  });

  const action = (path: string, field: string, run: (a: AdminSession, sub: string, b: Record<string, unknown>, reason: string) => Promise<string>) =>
    router.post(`/:sub/${path}`, formBody(), async (ctx) => {
      const a = await kit.administrator(ctx);
      if (!a) return;
      const sub = subOf(ctx);
      const b = kit.body(ctx);
      const reason = kit.str(b[`${field}_reason`]);
      if (!reason) return render(ctx, a, sub, { errors: { [`${field}_reason`]: t(a.lang, 'acReasonRequired') }, status: 400 });
      try {
        await render(ctx, a, sub, { notice: await run(a, sub, b, reason) });
      } catch (err) {
        if (!(err instanceof AccountAdminError)) throw err;
        if (err.status === 404) throw new HttpError(404, 'notFound');
        const key = err.status === 400 && field === 'factors' && !b.check ? 'check' : `${field}_reason`;
        await render(ctx, a, sub, { errors: { [key]: refusalWords(a, err) }, status: err.status });
      }
    });
  const told = (a: AdminSession, notified: boolean) => t(a.lang, notified ? 'acNotified' : 'acNotNotified');

  action('unlock', 'unlock', async (a, sub, _b, reason) => {
    const r = await accountAdmin.unlock(kit.actor(a), sub, reason);
    return `${t(a.lang, 'acDoneUnlocked')}. ${told(a, r.notified)}`;
  });
  action('sessions/end', 'sessions', async (a, sub, _b, reason) => {
    const r = await accountAdmin.endSessions(kit.actor(a), sub, reason);
    return `${t(a.lang, 'acDoneSessions', { count: r.ended })}. ${told(a, r.notified)}`;
  });
  action('second-factors/remove', 'factors', async (a, sub, b, reason) => {
    const r = await accountAdmin.removeSecondFactors(kit.actor(a), sub, { check: kit.str(b.check, 40), reason });
    return `${t(a.lang, 'acDoneFactors')}. ${told(a, r.notified)}`;
  });

  return router;
}
