// Sessions and connected applications (/account/sessions): where the person is logged in (end one, or
// all with a fresh login) and the applications they allowed (revoking ends the grant and its tokens).
import type { Router } from '@koa/router';
import { activityOf, audit } from '../../../kernel/audit/index.ts';
import type { Device } from '../../login/device.ts';
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { HttpError } from '../../../kernel/http/errors.ts';
import { t } from '../../web/messages.ts';
import { sessionsPage } from './views.ts';
import type { PagesContext } from './context.ts';
import { formatDateTime } from '../../../kernel/thai/time.ts';

export function sessionsRoutes(router: Router, c: PagesContext) {
  const { provider, db } = c.deps;
  const { records, state, takeFlash, back, html, requireSession, form, needsFreshLogin } = c;

  router.get('/sessions', requireSession, async (ctx) => {
    const { session, lang } = state(ctx);
    const [sessions, grants, events] = await Promise.all([records.sessions(session.sub), records.grants(session.sub), activityOf(db, session.sub, 200)]);
    // each session's device, from the audit event of the login that made it (same login time)
    const devices = new Map<number, Device>();
    for (const e of events) {
      const d = e.detail as { ts?: number; device?: Device } | null;
      if (e.action === 'login.succeeded' && d?.ts && d.device && !devices.has(d.ts)) devices.set(d.ts, d.device);
    }
    const apps = await Promise.all(
      grants.map(async (g) => ({ grantId: g.id, name: (await provider.Client.find(g.clientId))?.clientName ?? g.clientId, scopes: g.scope })),
    );
    html(
      ctx,
      sessionsPage({
        lang,
        csrf: issueCsrfToken(ctx),
        sessions: sessions.map((s) => ({
          id: s.id,
          loggedInAt: s.loginTs ? formatDateTime(s.loginTs * 1000, lang) : '',
          level: s.acr ?? '',
          device: (s.loginTs && devices.get(s.loginTs)) || {},
          current: s.id === session.id,
        })),
        apps,
        flash: takeFlash(ctx),
      }),
    );
  });

  router.post('/sessions/end-all', ...form, async (ctx) => {
    const { session } = state(ctx);
    if (needsFreshLogin(ctx, '/account/sessions')) return;
    await db.tx(async (q) => {
      await records.endSessions(q, session.sub);
      await audit(q, { actor: session.sub, action: 'sessions.ended_all', subject: session.sub, clientAddress: ctx.ip });
    });
    ctx.status = 303;
    ctx.redirect('/account/login');
  });

  router.post('/sessions/:id/end', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    if (!(await records.endSession(session.sub, ctx.params.id!))) throw new HttpError(404, 'notFound');
    await audit(db, { actor: session.sub, action: 'session.ended', subject: session.sub, clientAddress: ctx.ip });
    back(ctx, '/account/sessions', { notice: t(lang, 'sessionEnded') });
  });

  router.post('/apps/:grantId/revoke', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    const clientId = await records.revokeGrant(session.sub, ctx.params.grantId!);
    if (!clientId) throw new HttpError(404, 'notFound');
    await audit(db, { actor: session.sub, action: 'grant.revoked', subject: session.sub, clientAddress: ctx.ip, detail: { client_id: clientId } });
    back(ctx, '/account/sessions', { notice: t(lang, 'appRevoked') });
  });
}
