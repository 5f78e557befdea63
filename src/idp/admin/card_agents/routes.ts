// The card reader agents page (/admin/card-agents): every unit's agents, filtered by unit and state;
// revoke one with a reason (src/idp/admin/card_agents, the same rules as the admin API and mpid).
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Units } from '../../units/index.ts';
import { formBody } from '../../../kernel/http/form.ts';
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { formatDateTime } from '../../../kernel/thai/time.ts';
import { t, type MessageKey } from '../../web/messages.ts';
import { consoleKit } from '../console.ts';
import type { AdminSession } from '../session.ts';
import { CardAgentAdminError, type CardAgentAdmin } from './index.ts';
import { cardAgentsPage } from './views.ts';

const WORDS: Record<string, MessageKey> = { hcode: 'caHcodeInvalid', state: 'caStateInvalid', reason: 'caReasonRequired' };

export function cardAgentAdminRoutes(deps: { provider: Provider; units: Units; cardAgentAdmin: CardAgentAdmin }) {
  const { cardAgentAdmin } = deps;
  const kit = consoleKit(deps);
  const router = new Router({ prefix: '/admin/card-agents' });

  async function render(ctx: Context, a: AdminSession, o: { filter: { hcode: string; state: string }; errors?: Record<string, string>; values?: Record<string, string>; notice?: string; status?: number }) {
    const errors = { ...o.errors };
    let rows: Awaited<ReturnType<CardAgentAdmin['list']>> = [];
    try {
      rows = await cardAgentAdmin.list(o.filter);
    } catch (err) {
      if (!(err instanceof CardAgentAdminError)) throw err;
      errors[err.field] = t(a.lang, WORDS[err.field] ?? 'caErrors');
      o.status ??= err.status;
    }
    kit.show(ctx, cardAgentsPage(a.lang, {
      csrf: issueCsrfToken(ctx), filter: o.filter, errors, values: o.values ?? {}, notice: o.notice,
      rows: rows.map((r) => ({ id: r.id, hcode: r.hcode, unitName: r.unitName, name: r.name, version: r.version, enrolled: formatDateTime(r.registeredAt, a.lang), lastSeen: r.lastSeenAt ? formatDateTime(r.lastSeenAt, a.lang) : null, revoked: r.revokedAt ? formatDateTime(r.revokedAt, a.lang) : null, revokedBy: r.revokedBy })),
    }), o.status);
  }

  router.get('/', async (ctx) => {
    const a = await kit.administrator(ctx);
    if (a) await render(ctx, a, { filter: { hcode: kit.str(ctx.query.hcode, 5), state: kit.str(ctx.query.state, 10) } });
  });

  router.post('/:id/revoke', formBody(), async (ctx) => {
    const a = await kit.administrator(ctx);
    if (!a) return;
    const b = kit.body(ctx);
    const id = kit.str(ctx.params.id, 40);
    const filter = { hcode: kit.str(b.f_hcode, 5), state: kit.str(b.f_state, 10) };
    const reason = kit.str(b.reason);
    try {
      await cardAgentAdmin.revoke(kit.actor(a), { id, reason });
    } catch (err) {
      if (!(err instanceof CardAgentAdminError)) throw err;
      const words = err.field === 'reason' ? t(a.lang, 'caReasonRequired') : err.status === 409 ? t(a.lang, 'caAlreadyRevoked') : t(a.lang, 'caNoSuchAgent');
      return render(ctx, a, { filter, errors: { [err.field === 'reason' ? `reason-${id}` : 'agents']: words }, values: { [`reason-${id}`]: reason }, status: err.status });
    }
    await render(ctx, a, { filter, notice: t(a.lang, 'caDoneRevoked', { id }) });
  });

  return router;
}
