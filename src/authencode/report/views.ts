// The usage report page: a date range, the counts by day and service, links to the CSV and the chart.
import { html, type Html } from '../../kernel/web/html.ts';
import { field } from '../../kernel/web/form.ts';
import { at } from '../web/messages.ts';
import type { Lang } from '../../kernel/web/i18n.ts';

/** A row of the usage report as the page lists it; the routes pass theirs. */
export interface ReportRowView {
  day: string;
  claimType: string;
  count: number;
}

export function reportPage(lang: Lang, p: { query: { from: string; to: string }; rows?: ReportRowView[]; error?: string }): Html {
  const qs = `from=${encodeURIComponent(p.query.from)}&to=${encodeURIComponent(p.query.to)}`;
  return html`<form method="get" action="/staff/reports" novalidate>
  ${p.error ? html`<p class="error" role="alert">${p.error}</p>` : ''}
  ${field({ name: 'from', label: at(lang, 'reportFrom'), value: p.query.from, type: 'date', errors: {} })}
  ${field({ name: 'to', label: at(lang, 'reportTo'), value: p.query.to, type: 'date', errors: {} })}
  <button type="submit">${at(lang, 'reportShow')}</button>
</form>
${p.rows ? html`<p><a href="/staff/reports/report.csv?${qs}" download>${at(lang, 'reportCsv')}</a></p>
<figure class="chart"><img src="/staff/reports/chart.svg?${qs}" alt="${at(lang, 'reportChartTitle')}"></figure>
${p.rows.length ? html`<table>
<thead><tr><th scope="col">${at(lang, 'reportDay')}</th><th scope="col">${at(lang, 'colService')}</th><th scope="col">${at(lang, 'reportCount')}</th></tr></thead>
<tbody>${p.rows.map((r) => html`<tr><td>${r.day}</td><td>${r.claimType}</td><td>${r.count}</td></tr>`)}</tbody>
</table>` : html`<p role="status">${at(lang, 'noResults')}</p>`}` : ''}`;
}
