// The usage report page: a date range, the counts by day and service, links to the CSV and the chart.
import { html, type Html } from '../../kernel/web/html.ts';
import { field } from '../../kernel/web/form.ts';
import { at } from '../web/messages.ts';
import type { Lang } from '../../kernel/web/i18n.ts';
import { st } from '../staff/messages.ts';
import { claimTypeName, dayText, type ClaimTypesView } from '../citizen/views.ts';

/** A row of the usage report as the page lists it; the routes pass theirs. */
export interface ReportRowView {
  day: string;
  claimType: string;
  count: number;
}

export function reportPage(lang: Lang, p: { query: { from: string; to: string }; rows?: ReportRowView[]; claimTypes: ClaimTypesView; error?: string }): Html {
  const qs = `from=${encodeURIComponent(p.query.from)}&to=${encodeURIComponent(p.query.to)}`;
  const range = p.rows ? st(lang, 'reportRange', { from: dayText(lang, p.query.from), to: dayText(lang, p.query.to) }) : '';
  return html`<form method="get" action="/staff/reports" novalidate>
  ${p.error ? html`<p class="error" role="alert" id="form-error">${p.error}</p>` : ''}
  ${field({ name: 'from', label: at(lang, 'reportFrom'), value: p.query.from, type: 'date', errors: {} })}
  ${field({ name: 'to', label: at(lang, 'reportTo'), value: p.query.to, type: 'date', errors: {} })}
  <button type="submit">${at(lang, 'reportShow')}</button>
</form>
${p.rows ? html`<h2>${range}</h2>
<p><a href="/staff/reports/report.csv?${qs}" download>${at(lang, 'reportCsv')}</a></p>
<figure class="chart"><img src="/staff/reports/chart.svg?${qs}&amp;lang=${lang}" alt="${at(lang, 'reportChartTitle')} ${range}"></figure>
${p.rows.length ? html`<div class="table-wrap"><table>
<thead><tr><th scope="col">${at(lang, 'reportDay')}</th><th scope="col">${at(lang, 'colService')}</th><th scope="col">${at(lang, 'reportCount')}</th></tr></thead>
<tbody>${p.rows.map((r) => html`<tr><td>${dayText(lang, r.day)}</td><td>${r.claimType} ${claimTypeName(lang, p.claimTypes.get(r.claimType), r.claimType)}</td><td>${r.count}</td></tr>`)}</tbody>
</table></div>` : html`<p role="status">${at(lang, 'noResults')}</p>`}` : ''}`;
}
