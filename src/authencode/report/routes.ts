// Reports for staff of a unit: confirmed Authen Codes per day and claim type over a date range, as a
// table, a server-rendered SVG chart and a CSV download.
import { Router } from '@koa/router';
import type { Context, Next } from 'koa';
import type { AuthencodeDeps } from '../app.ts';
import { thaiDay } from '../../kernel/thai/time.ts';
import { parseDay } from '../../kernel/http/params.ts';
import { langOf, personOf, render } from '../web/context.ts';
import { at } from '../web/messages.ts';
import { reportPage } from './views.ts';
import { chartDay, confirmedCounts, MAX_REPORT_DAYS, perDay } from './index.ts';
import { st } from '../staff/messages.ts';
import { dayText } from '../citizen/views.ts';
import { pagesScript } from '../web/static.ts';
import { reportChartSvg, reportCsv } from './render.ts';

/** from/to from the query: default the last 7 days; undefined when not a valid range. */
function range(ctx: Context): { from: string; to: string } | undefined {
  const today = thaiDay(new Date());
  const to = ctx.query.to ? parseDay(ctx.query.to) : today;
  const from = ctx.query.from ? parseDay(ctx.query.from) : thaiDay(new Date(Date.now() - 6 * 86400_000));
  if (!from || !to) return undefined;
  const days = (Date.parse(to) - Date.parse(from)) / 86400_000;
  if (!Number.isFinite(days) || days < 0 || days >= MAX_REPORT_DAYS) return undefined;
  return { from, to };
}

export function reportRoutes(deps: AuthencodeDeps) {
  const { db, claimTypes } = deps;
  const router = new Router({ prefix: '/staff/reports' });
  router.use(async (ctx: Context, next: Next) => {
    const person = personOf(ctx, 'staff');
    if (!person?.hcode) return ctx.redirect('/staff');
    ctx.state.hcode = person.hcode;
    await next();
  });

  router.get('/', async (ctx) => {
    const lang = langOf(ctx);
    const r = range(ctx);
    const query = { from: String(ctx.query.from ?? ''), to: String(ctx.query.to ?? '') };
    if (!r) {
      render(ctx, { title: at(lang, 'reportTitle'), scripts: [pagesScript], body: reportPage(lang, { query, claimTypes, error: at(lang, 'reportRangeInvalid') }) }, 400);
      return;
    }
    const rows = await confirmedCounts(db, { hcode: ctx.state.hcode, ...r });
    render(ctx, { title: at(lang, 'reportTitle'), path: '/staff/reports', scripts: [pagesScript], body: reportPage(lang, { query: r, rows, claimTypes }) });
  });

  router.get('/chart.svg', async (ctx) => {
    const r = range(ctx);
    if (!r) return void (ctx.status = 400);
    const rows = await confirmedCounts(db, { hcode: ctx.state.hcode, ...r });
    ctx.type = 'image/svg+xml';
    const lang = langOf(ctx);
    const between = st(lang, 'reportRange', { from: dayText(lang, r.from), to: dayText(lang, r.to) });
    ctx.body = reportChartSvg(perDay(rows, r.from, r.to, (day) => chartDay(lang, day)), { title: `${at(lang, 'reportChartTitle')} · ${between}` });
  });

  router.get('/report.csv', async (ctx) => {
    const r = range(ctx);
    if (!r) {
      ctx.status = 400;
      ctx.type = 'text/plain';
      ctx.body = 'from and to must be dates (YYYY-MM-DD), from not after to, at most 366 days';
      return;
    }
    const rows = await confirmedCounts(db, { hcode: ctx.state.hcode, ...r });
    ctx.type = 'text/csv; charset=utf-8';
    ctx.attachment(`authen-codes-${ctx.state.hcode}-${r.from}-${r.to}.csv`);
    ctx.body = reportCsv(rows);
  });
  return router;
}
