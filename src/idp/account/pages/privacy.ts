// Privacy (/account/privacy): the person's recent activity, all their data as one JSON download (each
// authenticator method says what it holds; every identity verification, with its decision, is in it),
// and a deletion request recorded for an administrator.
import type { Router } from '@koa/router';
import { activityOf, audit } from '../../../kernel/audit/index.ts';
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { t } from '../../web/messages.ts';
import { privacyAccountPage } from './views.ts';
import type { PagesContext } from './context.ts';
import { formatDateTime } from '../../../kernel/thai/time.ts';

export function privacyRoutes(router: Router, c: PagesContext) {
  const { db, accounts, authenticators, accountIal, evidenceForExport } = c.deps;
  const { records, state, body, str, takeFlash, back, html, requireSession, form } = c;

  router.get('/privacy', requireSession, async (ctx) => {
    const { session, lang } = state(ctx);
    const rows = await activityOf(db, session.sub, 30);
    html(ctx, privacyAccountPage({ lang, csrf: issueCsrfToken(ctx), activity: rows.map((r) => ({ at: formatDateTime(r.at, lang), action: r.action })), flash: takeFlash(ctx) }));
  });

  router.get('/privacy/export', requireSession, async (ctx) => {
    const { session } = state(ctx);
    const sub = session.sub;
    const a = (await accounts.findBySub(sub))!;
    const [privacy, methods, sessions, grants, events, evidence] = await Promise.all([
      accounts.privacyRecords(sub),
      authenticators.exported(sub),
      records.sessions(sub),
      records.grants(sub),
      activityOf(db, sub, 1000),
      evidenceForExport(db, sub),
    ]);
    await audit(db, { actor: sub, action: 'data.exported', subject: sub, clientAddress: ctx.ip });
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Disposition', 'attachment; filename="mor-prom-id-my-data.json"');
    ctx.type = 'application/json';
    ctx.body = {
      exported_at: new Date().toISOString(),
      account: {
        sub,
        national_id_number: a.pid,
        title: a.title,
        given_name: a.givenName,
        family_name: a.familyName,
        given_name_en: a.givenNameEn,
        family_name_en: a.familyNameEn,
        birthdate: a.birthdate,
        phone_number: a.phoneNumber,
        phone_number_verified: a.phoneVerified,
        identity_assurance_level: (await accountIal(db, sub)) ?? null,
      },
      identity_verifications: evidence,
      privacy_consents: privacy.consents,
      deletion_requests: privacy.deletionRequests,
      authenticators: methods,
      sessions: sessions.map((s) => ({ logged_in_at: s.loginTs ? new Date(s.loginTs * 1000).toISOString() : null, acr: s.acr })),
      connected_applications: grants.map((g) => ({ client_id: g.clientId, scope: g.scope })),
      activity: events.map((e) => ({ at: e.at, action: e.action, detail: e.detail })),
    };
  });

  router.post('/privacy/delete', ...form, async (ctx) => {
    const { session, lang } = state(ctx);
    const reason = str(body(ctx).reason).slice(0, 500);
    await accounts.requestDeletion(session.sub, reason, ctx.ip);
    back(ctx, '/account/privacy', { notice: t(lang, 'deleteRecorded') });
  });
}
