// /coverage: the coverage pages (logged in at AAL 2.1; admin and coverage_viewer see every area, a
// province_officer only their provinces: another area is 403, an unknown one 404), the CSV and XLSX
// downloads of the same table, and /api/coverage for dashboards and the ministry's data warehouse
// (a client-credentials JWT access token for this resource server with the `coverage` scope).
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type * as jose from 'jose';
import { AccessTokenError, accessTokenVerifier, type AccessToken } from '../../kernel/http/access_token.ts';
import type { Units } from '../units/index.ts';
import { accountSession, startAccountLogin } from '../account/pages/session.ts';
import { acrRank } from '../oidc/acr.ts';
import { pickLang, type Lang } from '../../kernel/http/i18n.ts';
import { HttpError } from '../../kernel/http/errors.ts';
import { thaiDay } from '../../kernel/thai/time.ts';
import { formatShortDate } from '../../kernel/thai/dates.ts';
import { t } from '../web/messages.ts';
import { currentPeriod, meets, percent, type Period } from './targets.ts';
import { COUNTRY, type Figures, type Report, type Reports } from './report.ts';
import { isAreaCode, type Area } from './areas.ts';
import { coveragePage, coverageRefusedPage, type CoverageRowView } from './views.ts';
import { rankingChart, trendChart } from './charts.ts';
import { exportRows, toCsv, toXlsx } from './export.ts';
import { openApiDocument } from './openapi.ts';

const COVERAGE_ACR = 'urn:th:etda:aal:2.1';
type Scope = { national: true } | { national: false; provinces: string[] };

export interface CoverageRouteDeps {
  provider: Provider;
  units: Units;
  reports: Reports;
  issuer: string;
  minIal: string;
  yearStart: string;
  apiAudience: string;
  /** the IdP's public signing keys (JWT access tokens are checked against them) */
  publicJwks: jose.JWK[];
  /** the calling client's coverage allowance (province null: every area); undefined: not allowed, or disabled */
  apiClient: (clientId: string) => Promise<{ province: string | null } | undefined>;
  today?: () => string;
}

export function coverageRoutes(deps: CoverageRouteDeps) {
  const { provider, units, reports, issuer, minIal, yearStart } = deps;
  const today = deps.today ?? (() => thaiDay(new Date()));
  const router = new Router();
  const verifyToken = accessTokenVerifier({ issuer, audience: deps.apiAudience, keys: deps.publicJwks });

  const nameOf = (a: Area, lang: Lang) => (lang === 'th' ? a.nameTh : a.nameEn);
  const areaHref = (code: string, lang: Lang) => `/coverage/area/${code}?lang=${lang}`;
  const mayView = (scope: Scope, code?: string) => scope.national || (code ? scope.provinces.includes(code.slice(0, 2)) : scope.provinces.length > 0);

  async function viewer(ctx: Context): Promise<{ lang: Lang; scope: Scope } | undefined> {
    const session = await accountSession(ctx, provider);
    if (!session || acrRank(session.acr) < acrRank(COVERAGE_ACR)) {
      ctx.redirect(`/coverage/login?lang=${pickLang(ctx)}&next=${encodeURIComponent(ctx.path)}`);
      return undefined;
    }
    return { lang: pickLang(ctx), scope: await units.coverageScope(session.sub) };
  }

  function refuse(ctx: Context, lang: Lang) {
    ctx.status = 403;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = coverageRefusedPage(lang, ctx.path);
  }

  /** The report the request names (?area= or :code), after the viewer's scope allows it. */
  async function reportFor(ctx: Context, code: string | undefined, scope: Scope): Promise<Report | 'refused'> {
    if (code !== undefined && !isAreaCode(code)) throw new HttpError(404, 'notFound');
    if (!mayView(scope, code)) return 'refused';
    const report = await reports.report(code, scope.national ? undefined : scope.provinces);
    if (!report) throw new HttpError(404, 'notFound');
    return report;
  }

  const rowView = (f: Figures, name: string, href?: string): CoverageRowView => ({
    name, href, citizens: f.citizens, citizensDid: f.citizensDid, citizensPct: percent(f.citizensDid, f.citizens),
    personnel: f.personnel, personnelDid: f.personnelDid, personnelPct: f.personnel === null ? null : percent(f.personnelDid ?? 0, f.personnel),
    servicePoints: f.servicePoints, verifiers: f.verifiers,
  });

  async function page(ctx: Context, code?: string) {
    const v = await viewer(ctx);
    if (!v) return;
    const { lang, scope } = v;
    if (!code && !scope.national && scope.provinces.length === 1) return ctx.redirect(areaHref(scope.provinces[0]!, lang));
    const report = await reportFor(ctx, code, scope);
    if (report === 'refused') return refuse(ctx, lang);
    const period = currentPeriod(yearStart, today());
    const level = report.area?.level ?? 0;
    const history = level < 3 ? await reports.trend(report.area?.code ?? COUNTRY, yearStart) : [];
    const heading = report.area ? nameOf(report.area, lang) : t(lang, 'covCountry');
    const ranked = report.rows.filter((r) => r.citizens > 0);
    // a province officer's country page lists their provinces only: no ranking against others
    const showRanking = ranked.length > 1 && (scope.national || level > 0);
    const dl = (format: string) => `/coverage/export/${format}?lang=${lang}${report.area ? `&area=${report.area.code}` : ''}`;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = coveragePage({
      lang,
      path: ctx.path,
      heading,
      ancestors: report.area ? [{ name: t(lang, 'covCountry'), href: `/coverage?lang=${lang}` }, ...report.ancestors.map((a) => ({ name: nameOf(a, lang), href: areaHref(a.code, lang) }))] : [],
      partLabel: t(lang, (['covProvince', 'covDistrict', 'covSubdistrict'] as const)[Math.min(level, 2)]!),
      period: { due: formatShortDate(period.due, lang), personnel: period.milestone.personnel, citizens: period.milestone.citizens },
      minIal,
      asOf: { population: report.asOf.population ? formatShortDate(report.asOf.population, lang) : '—', personnel: report.asOf.personnel ? formatShortDate(report.asOf.personnel, lang) : '—' },
      rows: report.rows.map((r) => rowView(r, nameOf(r.area, lang), r.area.level < 3 ? areaHref(r.area.code, lang) : undefined)),
      total: rowView(report.total, t(lang, 'covTotal')),
      trendSvg: history.length
        ? trendChart({
            points: history.map((h) => ({ day: formatShortDate(h.day, lang), citizens: percent(h.citizensDid, h.citizens), personnel: percent(h.personnelDid, h.personnel) })),
            labels: { citizens: t(lang, 'covCitizensPct'), personnel: t(lang, 'covPersonnelPct'), title: `${t(lang, 'covTrendHeading')}: ${heading}` },
            targets: { citizens: period.milestone.citizens, personnel: period.milestone.personnel },
          })
        : undefined,
      rankingSvg: showRanking
        ? rankingChart({ rows: ranked.map((r) => ({ name: nameOf(r.area, lang), share: percent(r.citizensDid, r.citizens) ?? 0 })), label: t(lang, 'covCitizensPct'), title: `${t(lang, 'covRankingHeading')}: ${heading}`, target: period.milestone.citizens })
        : undefined,
      downloads: { csv: dl('csv'), xlsx: dl('xlsx') },
    });
  }

  router.get('/coverage/login', (ctx) => startAccountLogin(ctx, issuer, { next: typeof ctx.query.next === 'string' ? ctx.query.next : '/coverage', acr: COVERAGE_ACR }));
  router.get('/coverage', (ctx) => page(ctx));
  router.get('/coverage/area/:code', (ctx) => page(ctx, ctx.params.code));

  router.get('/coverage/export/:format', async (ctx) => {
    const format = ctx.params.format;
    if (format !== 'csv' && format !== 'xlsx') throw new HttpError(404, 'notFound');
    const v = await viewer(ctx);
    if (!v) return;
    const area = typeof ctx.query.area === 'string' ? ctx.query.area : undefined;
    const report = await reportFor(ctx, area, v.scope);
    if (report === 'refused') return refuse(ctx, v.lang);
    const L = (k: Parameters<typeof t>[1]) => t(v.lang, k);
    const rows = exportRows(report, {
      code: v.lang === 'th' ? 'รหัส' : 'Code', area: v.lang === 'th' ? 'พื้นที่' : 'Area (Thai)', areaEn: v.lang === 'th' ? 'พื้นที่ (อังกฤษ)' : 'Area',
      citizens: L('covCitizens'), citizensDid: L('covCitizensDid'), citizensPct: L('covCitizensPct'), personnel: L('covPersonnel'), personnelDid: L('covPersonnelDid'),
      personnelPct: L('covPersonnelPct'), servicePoints: L('covServicePoints'), verifiers: L('covVerifiers'), total: L('covTotal'),
    });
    const name = `coverage-${report.area?.code ?? COUNTRY}-${today()}`;
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Disposition', `attachment; filename="${name}.${format}"`);
    if (format === 'csv') {
      ctx.type = 'text/csv; charset=utf-8';
      ctx.body = toCsv(rows);
    } else {
      ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      ctx.body = await toXlsx(rows, report.area?.nameEn ?? 'Thailand');
    }
  });

  // --- the JSON API
  function apiError(ctx: Context, status: number, error: string, description: string) {
    ctx.status = status;
    if (error === 'invalid_token' || error === 'insufficient_scope') ctx.set('WWW-Authenticate', `Bearer error="${error}", scope="coverage"`);
    ctx.body = { error, error_description: description };
  }

  /** The caller's allowance (every area, or one province), or undefined after answering the refusal. */
  async function apiCaller(ctx: Context): Promise<{ province: string | null } | undefined> {
    let token: AccessToken;
    try {
      token = await verifyToken(ctx.get('authorization') || undefined);
    } catch (err) {
      if (!(err instanceof AccessTokenError)) throw err;
      apiError(ctx, 401, 'invalid_token', err.reason === 'missing' || err.reason === 'malformed' ? 'a JWT access token from this IdP for the coverage API is required (Authorization: Bearer)' : `the access token is not valid for ${deps.apiAudience}`);
      return undefined;
    }
    if (!token.scopes.includes('coverage')) {
      apiError(ctx, 403, 'insufficient_scope', 'the access token lacks the coverage scope');
      return undefined;
    }
    const allowed = token.clientId ? await deps.apiClient(token.clientId) : undefined;
    if (!allowed) {
      apiError(ctx, 403, 'insufficient_scope', `client ${token.clientId ?? '(none)'} may not read the coverage API`);
      return undefined;
    }
    return allowed;
  }

  const apiFigures = (f: Figures, period: Period) => {
    const cp = percent(f.citizensDid, f.citizens);
    const pp = f.personnel === null ? null : percent(f.personnelDid ?? 0, f.personnel);
    return {
      citizens: f.citizens, citizens_with_digital_id: f.citizensDid, citizens_percent: cp, citizens_target_met: meets(cp, period.milestone.citizens),
      personnel: f.personnel, personnel_with_digital_id: f.personnelDid, personnel_percent: pp, personnel_target_met: pp === null ? null : meets(pp, period.milestone.personnel),
      service_points: f.servicePoints, verifiers: f.verifiers,
    };
  };
  const apiArea = (a: Area) => ({ code: a.code, level: (['province', 'district', 'subdistrict'] as const)[a.level - 1], name_th: a.nameTh, name_en: a.nameEn });

  async function api(ctx: Context, code?: string) {
    const caller = await apiCaller(ctx);
    if (!caller) return;
    if (code !== undefined && !isAreaCode(code)) return apiError(ctx, 404, 'not_found', 'an area code has 2 (province), 4 (district) or 6 (sub-district) digits');
    // a province's client sees that province and its parts only: the country and the others are 403, before any look-up
    if (caller.province !== null && code?.slice(0, 2) !== caller.province) {
      return apiError(ctx, 403, 'forbidden', `this client reads province ${caller.province} only (GET /api/coverage/areas/${caller.province})`);
    }
    const report = await reports.report(code);
    if (!report) return apiError(ctx, 404, 'not_found', `no area ${code}`);
    const period = currentPeriod(yearStart, today());
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      area: report.area ? apiArea(report.area) : null,
      ancestors: report.ancestors.map(apiArea),
      period: { from: period.from, due: period.due, targets: { personnel_percent: period.milestone.personnel, citizens_percent: period.milestone.citizens } },
      fiscal_year_start: yearStart,
      min_ial: minIal,
      as_of: { population: report.asOf.population ?? null, personnel: report.asOf.personnel ?? null },
      parts: report.rows.map((r) => ({ ...apiArea(r.area), ...apiFigures(r, period) })),
      total: apiFigures(report.total, period),
    };
  }

  router.get('/api/coverage', (ctx) => api(ctx));
  router.get('/api/coverage/areas/:code', (ctx) => api(ctx, ctx.params.code));
  router.get('/api/coverage/openapi.json', (ctx) => {
    ctx.body = openApiDocument({ issuer, audience: deps.apiAudience });
  });
  return router;
}
