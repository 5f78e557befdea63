// The roles page (/admin/roles): grant (the person by ID number, resolved to a sub), withdraw with a
// reason, current roles or the whole history; refusals in words (src/idp/units' RoleError reasons).
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Units } from '../../units/index.ts';
import { normalizePid } from '../../account/index.ts';
import { formBody } from '../../../kernel/http/form.ts';
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { formatDateTime } from '../../../kernel/thai/time.ts';
import { t } from '../../web/messages.ts';
import { roleRefusal } from '../../units/views.ts';
import { consoleKit } from '../console.ts';
import type { AdminSession } from '../session.ts';
import { MANAGED_ROLES, RolesError, type Roles } from './index.ts';
import { rolesPage } from './views.ts';

export function roleRoutes(deps: { provider: Provider; units: Units; roles: Roles; subByPid: (pid: string) => Promise<string | undefined> }) {
  const { roles } = deps;
  const kit = consoleKit(deps);
  const router = new Router({ prefix: '/admin/roles' });

  async function render(ctx: Context, a: AdminSession, o: { history?: boolean; values?: Record<string, string>; errors?: Record<string, string>; notice?: string; status?: number } = {}) {
    const rows = await roles.list({ current: !o.history });
    kit.show(ctx, rolesPage(a.lang, {
      csrf: issueCsrfToken(ctx), roles: MANAGED_ROLES.map((r) => r.role), history: o.history === true, values: o.values ?? {}, errors: o.errors ?? {}, notice: o.notice,
      rows: rows.map((r) => ({ id: r.id, sub: r.sub, role: r.role, unit: r.hcode, province: r.province, granted: formatDateTime(r.grantedAt, a.lang), withdrawn: r.withdrawnAt ? formatDateTime(r.withdrawnAt, a.lang) : null })),
    }), o.status);
  }
  /** the form field a refusal is shown beside */
  const FIELD_OF: Record<string, 'hcode' | 'province'> = { unknownUnit: 'hcode', unitRequired: 'hcode', provinceRequired: 'province' };
  const words = (a: AdminSession, err: RolesError) => (err.why ? roleRefusal(a.lang, err.why) : err.status === 404 ? t(a.lang, 'roNotHeld') : err.message);

  router.get('/', async (ctx) => {
    const a = await kit.administrator(ctx);
    if (a) await render(ctx, a, { history: ctx.query.history === '1' });
  });

  router.post('/grant', formBody(), async (ctx) => {
    const a = await kit.administrator(ctx);
    if (!a) return;
    const b = kit.body(ctx);
    const values = { pid: kit.str(b.pid, 17), role: kit.str(b.role, 40), hcode: kit.str(b.hcode, 5), province: kit.str(b.province, 2), reason: kit.str(b.reason) };
    const errors: Record<string, string> = {};
    const sub = normalizePid(values.pid) ? await deps.subByPid(normalizePid(values.pid)!) : undefined;
    if (!sub) errors.pid = t(a.lang, 'roPidInvalid');
    if (!values.reason) errors.reason = t(a.lang, 'verifierReasonRequired');
    if (Object.keys(errors).length) return render(ctx, a, { values, errors, status: 400 });
    try {
      await roles.grant(kit.actor(a), { sub, role: values.role, hcode: values.hcode, province: values.province, reason: values.reason });
    } catch (err) {
      if (!(err instanceof RolesError)) throw err;
      return render(ctx, a, { values, errors: { [FIELD_OF[err.why?.why ?? ''] ?? 'pid']: words(a, err) }, status: err.status });
    }
    await render(ctx, a, { notice: t(a.lang, 'roDoneGranted') });
  });

  router.post('/withdraw', formBody(), async (ctx) => {
    const a = await kit.administrator(ctx);
    if (!a) return;
    const b = kit.body(ctx);
    const reason = kit.str(b.reason);
    if (!reason) return render(ctx, a, { errors: { withdraw: t(a.lang, 'verifierReasonRequired') }, status: 400 });
    try {
      await roles.withdraw(kit.actor(a), { sub: kit.str(b.sub, 64), role: kit.str(b.role, 40), hcode: kit.str(b.hcode, 5), province: kit.str(b.province, 2), reason });
    } catch (err) {
      if (!(err instanceof RolesError)) throw err;
      return render(ctx, a, { errors: { withdraw: words(a, err) }, status: err.status });
    }
    await render(ctx, a, { notice: t(a.lang, 'roDoneWithdrawn') });
  });

  return router;
}
