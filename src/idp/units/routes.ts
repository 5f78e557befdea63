// Unit administration in the verifier console (/verifier/unit): a unit administrator, logged in at
// AAL 2.1 or above, appoints and withdraws the verifiers of their unit, each with a reason, and pairs
// and revokes the unit's card reader agents. The rules (who may appoint whom, who is eligible) are in
// units/index.ts; the agents' in card_agents/index.ts.
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Accounts } from '../account/index.ts';
import { normalizePid, isValidPid } from '../account/index.ts';
import { RoleError, type Units } from './index.ts';
import { verifierSession } from '../proofing/index.ts';
import { issueCsrfToken, requireCsrf } from '../../kernel/http/csrf.ts';
import { formBody } from '../../kernel/http/form.ts';
import { pickLang } from '../../kernel/http/i18n.ts';
import { HttpError } from '../../kernel/http/errors.ts';
import { t } from '../web/messages.ts';
import type { FieldErrors } from '../../kernel/web/form.ts';
import { roleRefusal, unitAdminPage } from './views.ts';
import { formatDay } from '../../kernel/thai/time.ts';
import type { CardAgents } from '../card_agents/index.ts';

export function unitAdminRoutes(deps: { provider: Provider; accounts: Accounts; units: Units; cardAgents: CardAgents }) {
  const { provider, accounts, units, cardAgents } = deps;
  const router = new Router({ prefix: '/verifier' });
  const body = (ctx: Context) => (ctx.request.body ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

  async function unitAdmin(ctx: Context) {
    const session = await verifierSession(ctx, provider);
    if (!session) return undefined;
    const mine = await units.adminUnits(session.sub);
    const wanted = str(ctx.method === 'GET' ? ctx.query.unit : body(ctx).unit);
    return { session, lang: pickLang(ctx), unit: mine.find((u) => u.hcode === wanted) ?? mine[0] };
  }

  /** A person's name, or an operator's `operator:<name>` as it is. */
  const nameOf = async (who: string) => {
    const acc = who.startsWith('operator:') ? undefined : await accounts.findBySub(who);
    return acc ? `${acc.givenName} ${acc.familyName}` : who;
  };

  type Extra = { errors?: FieldErrors; notice?: string; pairing?: { code: string; expiresAt: Date }; unconfirmed?: string };
  async function renderUnit(ctx: Context, a: NonNullable<Awaited<ReturnType<typeof unitAdmin>>>, extra: Extra = {}, status = 200) {
    const verifiers = a.unit ? await units.verifiersAt(a.unit.hcode) : [];
    const named = await Promise.all(
      verifiers.map(async (v) => ({ sub: v.sub, name: await nameOf(v.sub), since: formatDay(v.grantedAt, a.lang), withdrawnReason: v.withdrawnAt ? (v.withdrawReason ?? '') : null })),
    );
    const agents = a.unit
      ? await Promise.all(
          (await cardAgents.agentsAt(a.unit.hcode)).map(async (g) => ({ id: g.id, name: g.name ?? g.id, version: g.version, pairedAt: g.registeredAt, pairedBy: await nameOf(g.registeredBy), lastSeenAt: g.lastSeenAt, revokedAt: g.revokedAt })),
        )
      : [];
    ctx.status = a.unit ? status : 403;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    const csrf = issueCsrfToken(ctx);
    ctx.body = unitAdminPage({
      lang: a.lang, csrf, unit: a.unit, verifiers: named, errors: extra.errors ?? {}, notice: extra.notice,
      agents: a.unit && { lang: a.lang, csrf, hcode: a.unit.hcode, agents, pairing: extra.pairing, unconfirmed: extra.unconfirmed },
    });
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
      return renderUnit(ctx, a, { errors: { pid: t(a.lang, 'unitAdminRefused', { why: roleRefusal(a.lang, err) }) } }, 400);
    }
    await renderUnit(ctx, a, { notice: t(a.lang, 'unitAdminAppointed') });
  });

  router.post('/unit/withdraw', formBody(), async (ctx) => {
    requireCsrf(ctx);
    const a = await unitAdmin(ctx);
    if (!a?.unit) return a && renderUnit(ctx, a);
    const reason = str(body(ctx).reason).slice(0, 200);
    if (!reason) return renderUnit(ctx, a, { errors: { reason: t(a.lang, 'verifierReasonRequired') } }, 400);
    let withdrawn: boolean;
    try {
      withdrawn = await units.withdraw({ sub: str(body(ctx).sub), role: 'verifier', hcode: a.unit.hcode, by: a.session.sub, reason });
    } catch (err) {
      if (!(err instanceof RoleError)) throw err;
      return renderUnit(ctx, a, { errors: { reason: t(a.lang, 'unitAdminRefused', { why: roleRefusal(a.lang, err) }) } }, 400);
    }
    if (!withdrawn) throw new HttpError(404, 'notFound');
    await renderUnit(ctx, a, { notice: t(a.lang, 'unitAdminWithdrawn') });
  });

  router.post('/unit/agents/pairing-code', formBody(), async (ctx) => {
    requireCsrf(ctx);
    const a = await unitAdmin(ctx);
    if (!a?.unit) return a && renderUnit(ctx, a);
    const pairing = await cardAgents.createPairingCode({ hcode: a.unit.hcode, by: a.session.sub });
    await renderUnit(ctx, a, { pairing });
  });

  router.post('/unit/agents/revoke', formBody(), async (ctx) => {
    requireCsrf(ctx);
    const a = await unitAdmin(ctx);
    if (!a?.unit) return a && renderUnit(ctx, a);
    const agent = str(body(ctx).agent);
    if (body(ctx).confirm !== 'yes') return renderUnit(ctx, a, { unconfirmed: agent }, 400);
    // only an agent of the unit this person administers: another unit's agent is not found
    if (!(await cardAgents.revoke({ id: agent, hcode: a.unit.hcode, by: a.session.sub }))) throw new HttpError(404, 'notFound');
    await renderUnit(ctx, a, { notice: t(a.lang, 'agentRevoked') });
  });

  return router;
}
