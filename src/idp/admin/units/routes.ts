// The service units pages (/admin/units): the search, one unit's page and its service-point form, on
// the same rules as the admin API and mpid (./index.ts); a refusal is said beside the reason field.
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Units } from '../../units/index.ts';
import { formBody } from '../../../kernel/http/form.ts';
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { HttpError } from '../../../kernel/http/errors.ts';
import { formatDateTime } from '../../../kernel/thai/time.ts';
import { t, type MessageKey } from '../../web/messages.ts';
import { consoleKit } from '../console.ts';
import type { AdminSession } from '../session.ts';
import { HCODE, UnitsAdminError, type UnitsAdmin } from './index.ts';
import { unitPage, unitsListPage } from './views.ts';

export function unitsAdminRoutes(deps: { provider: Provider; units: Units; unitsAdmin: UnitsAdmin }) {
  const { unitsAdmin } = deps;
  const kit = consoleKit(deps);
  const router = new Router({ prefix: '/admin/units' });
  const q = (ctx: Context, k: string, max = 100) => (typeof ctx.query[k] === 'string' ? (ctx.query[k] as string).trim().slice(0, max) : '');

  router.get('/', async (ctx) => {
    const a = await kit.administrator(ctx);
    if (!a) return;
    const search = q(ctx, 'search');
    const province = q(ctx, 'province');
    const servicePoints = ctx.query.service_points === '1';
    const page = Math.max(1, Math.min(10_000, Number.parseInt(q(ctx, 'page', 6), 10) || 1));
    const { items, more } = await unitsAdmin.list({ search, province, servicePoint: servicePoints ? true : undefined, page });
    kit.show(ctx, unitsListPage(a.lang, { rows: items, search, province, servicePoints, page, more }));
  });

  async function render(ctx: Context, a: AdminSession, hcode: string, o: { errors?: Record<string, string>; reason?: string; notice?: string; status?: number } = {}) {
    const unit = await unitsAdmin.get(hcode);
    kit.show(ctx, unitPage(a.lang, {
      csrf: issueCsrfToken(ctx), unit, errors: o.errors ?? {}, reason: o.reason ?? '', notice: o.notice,
      roles: unit.roles.map((r) => ({ sub: r.sub, role: r.role, granted: formatDateTime(new Date(r.granted_at), a.lang) })),
      agents: unit.agents.map((g) => ({ id: g.id, name: g.name, seen: g.last_seen_at ? formatDateTime(new Date(g.last_seen_at), a.lang) : null })),
    }), o.status);
  }
  const known = (hcode: string | undefined) => {
    if (!hcode || !HCODE.test(hcode)) throw new HttpError(404, 'notFound');
    return hcode;
  };

  router.get('/:hcode', async (ctx) => {
    const hcode = known(ctx.params.hcode);
    const a = await kit.administrator(ctx);
    if (!a) return;
    try {
      await render(ctx, a, hcode);
    } catch (err) {
      if (err instanceof UnitsAdminError && err.status === 404) throw new HttpError(404, 'notFound');
      throw err;
    }
  });

  router.post('/:hcode/service-point', formBody(), async (ctx) => {
    const hcode = known(ctx.params.hcode);
    const a = await kit.administrator(ctx);
    if (!a) return;
    const b = kit.body(ctx);
    const reason = kit.str(b.reason);
    const on = b.service_point === 'on';
    try {
      await unitsAdmin.setServicePoint(kit.actor(a), hcode, { service_point: on, reason });
    } catch (err) {
      if (!(err instanceof UnitsAdminError)) throw err;
      if (err.status === 404) throw new HttpError(404, 'notFound');
      return render(ctx, a, hcode, { errors: { reason: t(a.lang, `unErr_${err.why}` as MessageKey) }, reason, status: err.status });
    }
    await render(ctx, a, hcode, { notice: t(a.lang, on ? 'unOpened' : 'unClosed', { hcode }) });
  });

  return router;
}
