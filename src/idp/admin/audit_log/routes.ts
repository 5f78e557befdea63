// The audit log pages (/admin/audit-log): the filter in the query (no personal data: people are
// filtered by sub), a search by ID number as a POST with a reason (audited) that answers the page for
// that sub, the CSV export streamed, and a full check of the hash chain on demand.
import { Router } from '@koa/router';
import { Readable } from 'node:stream';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Units } from '../../units/index.ts';
import { formBody } from '../../../kernel/http/form.ts';
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { parseId } from '../../../kernel/http/params.ts';
import type { Lang } from '../../../kernel/http/i18n.ts';
import { formatDateTime } from '../../../kernel/thai/time.ts';
import { thaiIso } from '../../../kernel/thai/time.ts';
import { t } from '../../web/messages.ts';
import { consoleKit } from '../console.ts';
import type { AdminSession } from '../session.ts';
import { AuditLogError, auditFilterOf, safeDetail, type AuditFilter, type AuditLog, type ChainStatus } from './index.ts';
import { auditLogPage, type ChainView } from './views.ts';

const PAGE_SIZE = 50;

export const chainView = (s: ChainStatus, lang: Lang): ChainView => ({
  ok: s.verdict.ok, events: s.verdict.events, ...(s.verdict.ok ? {} : { brokenAt: s.verdict.brokenAt, reason: s.verdict.reason }),
  verifiedAt: formatDateTime(s.verifiedAt, lang), full: s.full, ...(s.fullAt ? { fullAt: formatDateTime(s.fullAt, lang) } : {}),
});

export function auditLogRoutes(deps: { provider: Provider; units: Units; auditLog: AuditLog }) {
  const { auditLog } = deps;
  const kit = consoleKit(deps);
  const router = new Router({ prefix: '/admin/audit-log' });

  async function render(ctx: Context, a: AdminSession, o: { filter: AuditFilter; before?: number; errors?: Record<string, string>; pid?: string; status?: number; full?: boolean }) {
    const [{ items, next }, chain] = await Promise.all([auditLog.page(o.filter, { before: o.before, size: PAGE_SIZE }), auditLog.chainStatus({ full: o.full })]);
    const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
    kit.show(ctx, auditLogPage(a.lang, {
      csrf: issueCsrfToken(ctx), filter: { ...o.filter } as Record<string, string>, next, paged: o.before !== undefined, errors: o.errors ?? {}, pid: o.pid,
      chain: chainView(chain, a.lang),
      rows: items.map((e) => {
        const d = safeDetail(e.detail);
        return { seq: e.seq, at: formatDateTime(e.at, a.lang), iso: thaiIso(e.at), actor: e.actor ?? '', action: e.action, subject: e.subject ?? '', unit: str(d.unit) ?? str(d.hcode), client: str(d.client_id), method: str(d.method), reason: str(d.reason) };
      }),
    }), o.status);
  }

  function filterOf(ctx: Context, a: AdminSession): { filter: AuditFilter } | { errors: Record<string, string> } {
    try {
      return { filter: auditFilterOf(ctx.query as Record<string, unknown>) };
    } catch (err) {
      if (!(err instanceof AuditLogError)) throw err;
      return { errors: { from: t(a.lang, 'alDateInvalid') } };
    }
  }

  router.get('/', async (ctx) => {
    const a = await kit.administrator(ctx);
    if (!a) return;
    const got = filterOf(ctx, a);
    if ('errors' in got) return render(ctx, a, { filter: {}, errors: got.errors, status: 400 });
    await render(ctx, a, { filter: got.filter, before: parseId(ctx.query.before) });
  });

  router.post('/verify', formBody(), async (ctx) => {
    const a = await kit.administrator(ctx);
    if (a) await render(ctx, a, { filter: {}, full: true });
  });

  router.post('/person', formBody(), async (ctx) => {
    const a = await kit.administrator(ctx);
    if (!a) return;
    const b = kit.body(ctx);
    const pid = kit.str(b.pid, 17);
    const reason = kit.str(b.reason);
    const errors: Record<string, string> = {};
    if (!pid) errors.pid = t(a.lang, 'alPidInvalid');
    if (!reason) errors.reason = t(a.lang, 'alReasonRequired');
    if (Object.keys(errors).length) return render(ctx, a, { filter: {}, errors, pid, status: 400 });
    try {
      const subject = await auditLog.subjectOf(kit.actor(a), pid, reason, ctx.ip);
      await render(ctx, a, { filter: { subject } });
    } catch (err) {
      if (!(err instanceof AuditLogError)) throw err;
      await render(ctx, a, { filter: {}, errors: { pid: t(a.lang, err.status === 404 ? 'alNotFound' : 'alPidInvalid') }, pid, status: err.status });
    }
  });

  router.get('/export.csv', async (ctx) => {
    const a = await kit.administrator(ctx);
    if (!a) return;
    const got = filterOf(ctx, a);
    if ('errors' in got) return render(ctx, a, { filter: {}, errors: got.errors, status: 400 });
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Disposition', 'attachment; filename="audit-log.csv"');
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = Readable.from(auditLog.csv(kit.actor(a), got.filter, ctx.ip));
  });

  return router;
}
