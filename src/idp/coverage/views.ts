// The coverage page: where the area is, the current period's targets, the table of its parts (each
// share against its target, in words and colour), the trend and the ranking (server-drawn SVG), and
// the downloads. Declares the view model it renders; imports no domain module.
import { html, Html } from '../../kernel/web/html.ts';
import { stackTable } from '../../kernel/web/layout.ts';
import { layout } from '../web/layout.ts';
import { t } from '../web/messages.ts';

export interface CoverageRowView {
  name: string;
  href?: string;
  citizens: number;
  citizensDid: number;
  citizensPct: number | null;
  personnel: number | null;
  personnelDid: number | null;
  personnelPct: number | null;
  servicePoints: number | null;
  verifiers: number | null;
}

export interface CoverageView {
  lang: 'th' | 'en';
  path: string;
  /** the area's name, or the country */
  heading: string;
  ancestors: Array<{ name: string; href: string }>;
  /** the parts' kind: province, district or sub-district */
  partLabel: string;
  period: { due: string; personnel: number; citizens: number };
  minIal: string;
  asOf: { population: string; personnel: string };
  rows: CoverageRowView[];
  total: CoverageRowView;
  trendSvg?: string;
  rankingSvg?: string;
  downloads: { csv: string; xlsx: string };
}

const num = (n: number | null) => (n === null ? '—' : n.toLocaleString('en-US'));

function share(lang: 'th' | 'en', pct: number | null, target: number): Html | string {
  if (pct === null) return '—';
  const met = pct >= target;
  return html`<span class="${met ? 'kpi-met' : 'kpi-unmet'}">${pct.toFixed(2)} · ${t(lang, met ? 'covMet' : 'covNotMet')}</span>`;
}

export function coveragePage(v: CoverageView): string {
  const { lang } = v;
  const cols = [v.partLabel, t(lang, 'covCitizens'), t(lang, 'covCitizensDid'), t(lang, 'covCitizensPct'), t(lang, 'covPersonnel'), t(lang, 'covPersonnelDid'), t(lang, 'covPersonnelPct'), t(lang, 'covServicePoints'), t(lang, 'covVerifiers')];
  const cells = (r: CoverageRowView, name: Html | string) => [
    name,
    num(r.citizens),
    num(r.citizensDid),
    share(lang, r.citizensPct, v.period.citizens),
    r.personnel === null ? t(lang, 'covNotCounted') : num(r.personnel),
    num(r.personnelDid),
    r.personnel === null ? '—' : share(lang, r.personnelPct, v.period.personnel),
    num(r.servicePoints),
    num(r.verifiers),
  ];
  const crumbs = [...v.ancestors];
  return layout({
    lang,
    title: `${t(lang, 'covTitle')}: ${v.heading}`,
    path: v.path,
    wide: true,
    body: html`<nav aria-label="${t(lang, 'covBreadcrumb')}"><ul class="inline-list">${crumbs.map((c) => html`<li><a href="${c.href}">${c.name}</a> ›</li>`)}<li aria-current="page">${v.heading}</li></ul></nav>
<p class="lead">${t(lang, 'covLead')}</p>
<p>${t(lang, 'covPeriod', { due: v.period.due, personnel: v.period.personnel, citizens: v.period.citizens })}</p>
<p class="hint">${t(lang, 'covDefinition', { ial: v.minIal })}. ${t(lang, 'covAsOf', { population: v.asOf.population, personnel: v.asOf.personnel })}</p>
${v.rows.length
  ? stackTable(t(lang, 'covTableCaption', { where: ` ${v.heading}` }), cols, [...v.rows.map((r) => cells(r, r.href ? html`<a href="${r.href}">${r.name}</a>` : r.name)), cells(v.total, html`<strong>${t(lang, 'covTotal')}</strong>`)])
  : html`<p>${t(lang, 'covNoData')}</p>`}
<p class="hint">${t(lang, 'covMilestonesNote')}</p>
<h2>${t(lang, 'covDownloads')}</h2>
<ul class="inline-list"><li><a href="${v.downloads.csv}" download>${t(lang, 'covCsv')}</a></li><li><a href="${v.downloads.xlsx}" download>${t(lang, 'covXlsx')}</a></li></ul>
<h2>${t(lang, 'covTrendHeading')}</h2>
${v.trendSvg ? html`<figure class="chart">${new Html(v.trendSvg)}</figure>` : html`<p>${t(lang, 'covTrendNone')}</p>`}
${v.rankingSvg ? html`<h2>${t(lang, 'covRankingHeading')}</h2><figure class="chart">${new Html(v.rankingSvg)}</figure>` : ''}`,
  });
}

/** A refusal: the account holds no coverage role, or not for this area. */
export function coverageRefusedPage(lang: 'th' | 'en', path: string): string {
  return layout({ lang, title: t(lang, 'covTitle'), path, wide: true, body: html`<p class="error" role="alert">${t(lang, 'covNoAccess')}</p>` });
}
