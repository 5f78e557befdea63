// Sessions and connected applications (/account/sessions): where the person is logged in (end one, or
// all with a fresh login) and the applications they allowed (revoking ends the grant and its tokens).
import type { Router } from '@koa/router';
import { audit } from '../../../kernel/audit/index.ts';
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { HttpError } from '../../../kernel/http/errors.ts';
import { t } from '../../web/messages.ts';
import { sessionsPage } from './views.ts';
import type { PagesContext } from './context.ts';
import { utcMinute } from '../../../kernel/thai/time.ts';

export function sessionsRoutes(router: Router, c: PagesContext) {
  const { provider, db } = c.deps;
  const { records, state, takeFlash, back, html, requireSession, form, needsFreshLogin } = c;

  router.get('/sessions', requireSession, async (ctx) => {
    const { session, lang } = state(ctx);
    const [sessions, grants] = await Promise.all([records.sessions(session.sub), records.grants(session.sub)]);
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
          loggedInAt: s.loginTs ? utcMinute(s.loginTs * 1000) : '',
          level: s.acr ? `AAL ${s.acr.split(':').pop()}` : '',
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
