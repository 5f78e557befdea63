// The deletion-request pages (/admin/deletion-requests): the list, one request with its plan, and the
// decision (carry out or refuse, with a reason) on the same rules as the admin API (./index.ts).
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Units } from '../../units/index.ts';
import type { DeletionRequest } from '../../account/index.ts';
import { formBody } from '../../../kernel/http/form.ts';
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { HttpError } from '../../../kernel/http/errors.ts';
import { parseId } from '../../../kernel/http/params.ts';
import { formatDateTime } from '../../../kernel/thai/time.ts';
import { t } from '../../web/messages.ts';
import { consoleKit } from '../console.ts';
import type { AdminSession } from '../session.ts';
import { DeletionError, type DeletionRequests } from './index.ts';
import { deletionListPage, deletionPage, type DeletionRow } from './views.ts';

const rowOf = (r: DeletionRequest, lang: 'th' | 'en'): DeletionRow => ({
  id: r.id, sub: r.sub, requested: formatDateTime(r.requestedAt, lang), status: r.status, personReason: r.reason,
  ...(r.decidedAt ? { decided: { at: formatDateTime(r.decidedAt, lang), by: r.decidedBy ?? '', reason: r.decisionReason ?? '' } } : {}),
});

export function deletionRoutes(deps: { provider: Provider; units: Units; deletions: DeletionRequests }) {
  const { deletions } = deps;
  const kit = consoleKit(deps);
  const router = new Router({ prefix: '/admin/deletion-requests' });
  const idOf = (ctx: Context) => {
    const id = parseId(ctx.params.id);
    if (id === undefined) throw new HttpError(404, 'notFound');
    return id;
  };
  async function render(ctx: Context, a: AdminSession, id: number, o: { errors?: Record<string, string>; notice?: string; status?: number } = {}) {
    let r: DeletionRequest;
    try {
      r = await deletions.get(id);
    } catch (err) {
      if (err instanceof DeletionError) throw new HttpError(404, 'notFound');
      throw err;
    }
    kit.show(ctx, deletionPage(a.lang, { csrf: issueCsrfToken(ctx), r: rowOf(r, a.lang), plan: deletions.plan, errors: o.errors ?? {}, notice: o.notice }), o.status);
  }

  router.get('/', async (ctx) => {
    const a = await kit.administrator(ctx);
    if (a) kit.show(ctx, deletionListPage(a.lang, { rows: (await deletions.list()).map((r) => rowOf(r, a.lang)) }));
  });
  router.get('/:id', async (ctx) => {
    const a = await kit.administrator(ctx);
    if (a) await render(ctx, a, idOf(ctx));
  });
  router.post('/:id/decide', formBody(), async (ctx) => {
    const a = await kit.administrator(ctx);
    if (!a) return;
    const id = idOf(ctx);
    const b = kit.body(ctx);
    const reason = kit.str(b.reason);
    if (!reason) return render(ctx, a, id, { errors: { reason: t(a.lang, 'dlReasonRequired') }, status: 400 });
    try {
      if (b.decision === 'carry-out') await deletions.carryOut(kit.actor(a), id, reason);
      else if (b.decision === 'refuse') await deletions.refuse(kit.actor(a), id, reason);
      else throw new HttpError(400, 'badForm');
    } catch (err) {
      if (!(err instanceof DeletionError)) throw err;
      if (err.status === 404) throw new HttpError(404, 'notFound');
      return render(ctx, a, id, { errors: { reason: t(a.lang, err.message.includes('role') ? 'dlHoldsRole' : 'dlAlreadyDecided') }, status: err.status });
    }
    await render(ctx, a, id, { notice: t(a.lang, b.decision === 'carry-out' ? 'dlDoneNotice' : 'dlRefusedNotice') });
  });
  return router;
}
