// The audit log page of the administration console: the hash chain's status, the filter (a GET form),
// the search by person (a POST form: the ID number never travels in a URL), the events newest first
// with a link to older ones, and the CSV export of the same filter.
import { html, type Html } from '../../../kernel/web/html.ts';
import { errorSummary, field } from '../../../kernel/web/form.ts';
import { tableWrap } from '../../../kernel/web/layout.ts';
import type { Lang } from '../../../kernel/http/i18n.ts';
import { t } from '../../web/messages.ts';
import { auditWords, methodWords } from '../../login/views/words.ts';
import { adminAreaPage } from '../views.ts';

export interface AuditRow {
  seq: number;
  at: string;
  /** the instant for <time datetime> */
  iso: string;
  actor: string;
  action: string;
  subject: string;
  unit?: string;
  client?: string;
  method?: string;
  reason?: string;
}

export interface ChainView {
  ok: boolean;
  events: number;
  brokenAt?: number;
  reason?: string;
  verifiedAt: string;
  full: boolean;
  fullAt?: string;
}

export interface AuditLogView {
  csrf: string;
  filter: Record<string, string>;
  rows: AuditRow[];
  /** the seq to page on from, when there are older entries */
  next?: number;
  paged: boolean;
  chain: ChainView;
  errors: Record<string, string>;
  pid?: string;
}

const FIELDS = ['actor', 'action', 'subject', 'unit', 'from', 'to'] as const;
const short = (id: string) => (id.length > 14 && !id.startsWith('operator:') && !id.startsWith('client:') ? `${id.slice(0, 8)}…` : id);

export function auditLogPage(lang: Lang, p: AuditLogView): string {
  const f = p.filter;
  const query = (extra: Record<string, string>) => new URLSearchParams({ ...Object.fromEntries(FIELDS.filter((k) => f[k]).map((k) => [k, f[k]!])), ...extra, lang }).toString();
  const labels: Record<string, string> = { actor: t(lang, 'alActor'), action: t(lang, 'alAction'), subject: t(lang, 'alSubject'), unit: t(lang, 'alUnit'), from: t(lang, 'alFrom'), to: t(lang, 'alTo'), pid: t(lang, 'alPid'), reason: t(lang, 'alReason') };
  const c = p.chain;
  const chain: Html = html`<section aria-labelledby="chain"><h2 id="chain">${t(lang, 'alChainHeading')}</h2>
<div class="panel ${c.ok ? 'panel-success' : 'panel-error'}" ${c.ok ? html`role="status"` : html`role="alert"`} id="chain-status">
  <p><strong>${c.ok ? t(lang, 'alChainOk', { events: String(c.events) }) : t(lang, 'alChainBroken', { seq: String(c.brokenAt), reason: c.reason ?? '' })}</strong></p>
  <p>${t(lang, 'alChainVerifiedAt', { at: c.verifiedAt, how: t(lang, c.full ? 'alChainFull' : 'alChainIncremental') })}${c.fullAt && !c.full ? html`. ${t(lang, 'alChainFullAt', { at: c.fullAt })}` : ''}</p>
</div>
<form method="post" action="/admin/audit-log/verify?lang=${lang}" class="inline"><input type="hidden" name="csrf" value="${p.csrf}"><button type="submit" class="secondary">${t(lang, 'alChainVerifyFull')}</button></form>
</section>`;
  return adminAreaPage(lang, t(lang, 'alTitle'), html`${errorSummary(t(lang, 'alErrors'), p.errors, labels)}
${chain}
<section aria-labelledby="filter"><h2 id="filter">${t(lang, 'alFilterHeading')}</h2>
<form method="get" action="/admin/audit-log" novalidate>
  <input type="hidden" name="lang" value="${lang}">
  ${FIELDS.map((k) => field({ name: k, label: labels[k]!, value: f[k] ?? '', errors: p.errors, attrs: k === 'unit' ? html`inputmode="numeric" maxlength="5"` : html`maxlength="100"` }))}
  <div class="actions"><button type="submit">${t(lang, 'alFilter')}</button> <a class="button secondary" href="/admin/audit-log?lang=${lang}">${t(lang, 'alClear')}</a></div>
</form>
<h3>${t(lang, 'alPersonHeading')}</h3>
<form method="post" action="/admin/audit-log/person?lang=${lang}" novalidate><input type="hidden" name="csrf" value="${p.csrf}">
  ${field({ name: 'pid', label: labels.pid!, value: p.pid ?? '', hint: t(lang, 'alPersonHint'), errors: p.errors, attrs: html`inputmode="numeric" maxlength="17" autocomplete="off"` })}
  ${field({ name: 'reason', label: labels.reason!, value: '', errors: p.errors, attrs: html`maxlength="200"` })}
  <button type="submit">${t(lang, 'alPersonSearch')}</button>
</form>
</section>
<section aria-labelledby="events"><h2 id="events">${t(lang, 'alTitle')}</h2>
<p><a href="/admin/audit-log/export.csv?${query({})}" id="export" download>${t(lang, 'alExport')}</a><br><small>${t(lang, 'alExportHint')}</small></p>
${p.rows.length
  ? tableWrap(t(lang, 'alTitle'), html`<table class="audit"><thead><tr><th scope="col" class="num">${t(lang, 'alSeq')}</th><th scope="col">${t(lang, 'alWhen')}</th><th scope="col">${t(lang, 'alWhat')}</th><th scope="col">${t(lang, 'alWho')}</th><th scope="col">${t(lang, 'alWhom')}</th><th scope="col">${t(lang, 'alDetail')}</th></tr></thead><tbody>
${p.rows.map((e) => html`<tr><td class="num">${e.seq}</td><td><time datetime="${e.iso}">${e.at}</time></td><td>${auditWords(lang, e.action)}</td><td title="${e.actor}">${e.actor ? short(e.actor) : t(lang, 'alNobody')}</td><td title="${e.subject}">${e.subject ? html`<a href="/admin/audit-log?${new URLSearchParams({ subject: e.subject, lang }).toString()}">${short(e.subject)}</a>` : '-'}</td><td>${[
    e.unit ? `${t(lang, 'adminAuditUnit')} ${e.unit}` : '',
    e.method ? methodWords(lang, e.method) : '',
    e.client ? `${t(lang, 'adminAuditClient')} ${e.client}` : '',
    e.reason ? `${t(lang, 'verifierSearchReason')}: ${e.reason}` : '',
  ].filter(Boolean).join(' · ')}</td></tr>
`)}</tbody></table>`)
  : html`<p>${t(lang, 'alEmpty')}</p>`}
<nav class="pager" aria-label="${t(lang, 'alTitle')}">${p.paged ? html`<a href="/admin/audit-log?${query({})}">${t(lang, 'alNewest')}</a>` : ''} ${p.next !== undefined ? html`<a href="/admin/audit-log?${query({ before: String(p.next) })}" rel="next">${t(lang, 'alOlder')}</a>` : ''}</nav>
</section>`, '/admin/audit-log');
}
