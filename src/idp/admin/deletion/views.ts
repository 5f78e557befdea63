// The deletion-request pages: the list (pending first) and one request, with what carrying it out
// deletes, anonymises and keeps (and why), and the two decisions, each with its reason.
import { html } from '../../../kernel/web/html.ts';
import { errorSummary, field } from '../../../kernel/web/form.ts';
import { stackTable } from '../../../kernel/web/layout.ts';
import type { Lang } from '../../../kernel/http/i18n.ts';
import { messages, t, type MessageKey } from '../../web/messages.ts';
import { adminAreaPage } from '../views.ts';

export interface DeletionRow {
  id: number;
  sub: string;
  requested: string;
  status: 'pending' | 'done' | 'refused';
  personReason: string;
  decided?: { at: string; by: string; reason: string };
}

const kind = (lang: Lang, k: string) => (`dlKind_${k}` in messages[lang] ? t(lang, `dlKind_${k}` as MessageKey) : k);
const statusWords = (lang: Lang, s: DeletionRow['status']) => t(lang, `dlStatus_${s}`);

export function deletionListPage(lang: Lang, p: { rows: DeletionRow[] }): string {
  return adminAreaPage(lang, t(lang, 'dlTitle'), p.rows.length
    ? stackTable(t(lang, 'dlTitle'), [t(lang, 'dlRequested'), t(lang, 'dlAccount'), t(lang, 'dlStatus'), ''], p.rows.map((r) => [
        r.requested, html`<span title="${r.sub}">${r.sub.slice(0, 8)}…</span>`, statusWords(lang, r.status),
        html`<a href="/admin/deletion-requests/${r.id}?lang=${lang}">${t(lang, 'dlOpen')}<span class="visually-hidden"> ${r.id}</span></a>`,
      ]))
    : html`<p>${t(lang, 'dlNone')}</p>`, '/admin/deletion-requests');
}

export function deletionPage(lang: Lang, p: { csrf: string; r: DeletionRow; plan: { deleted: readonly string[]; anonymised: readonly string[]; kept: ReadonlyArray<{ record: string; why: string }> }; errors: Record<string, string>; notice?: string }): string {
  const r = p.r;
  const hidden = html`<input type="hidden" name="csrf" value="${p.csrf}">`;
  return adminAreaPage(lang, t(lang, 'dlRequestTitle', { id: r.id }), html`${errorSummary(t(lang, 'dlErrors'), p.errors, { reason: t(lang, 'dlReason') })}
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
<p><a href="/admin/deletion-requests?lang=${lang}">${t(lang, 'dlTitle')}</a></p>
<dl><dt>${t(lang, 'dlAccount')}</dt><dd><a href="/admin/accounts/${encodeURIComponent(r.sub)}?lang=${lang}"><code>${r.sub}</code></a></dd>
<dt>${t(lang, 'dlRequested')}</dt><dd>${r.requested}</dd>
<dt>${t(lang, 'dlPersonReason')}</dt><dd>${r.personReason || t(lang, 'dlNoReason')}</dd>
<dt>${t(lang, 'dlStatus')}</dt><dd id="status">${statusWords(lang, r.status)}</dd>
${r.decided ? html`<dt>${t(lang, 'dlReason')}</dt><dd>${t(lang, 'dlDecided', r.decided)}</dd>` : ''}</dl>
<section aria-labelledby="plan"><h2 id="plan">${t(lang, 'dlPlanHeading')}</h2>
<h3>${t(lang, 'dlDeleted')}</h3><ul>${p.plan.deleted.map((k) => html`<li>${kind(lang, k)}</li>`)}</ul>
<h3>${t(lang, 'dlAnonymised')}</h3><ul>${p.plan.anonymised.map((k) => html`<li>${kind(lang, k)}</li>`)}</ul>
<h3>${t(lang, 'dlKept')}</h3><ul id="kept">${p.plan.kept.map((k) => html`<li><strong>${k.record}</strong>: ${k.why}</li>`)}</ul>
</section>
${r.status === 'pending' ? html`<form method="post" action="/admin/deletion-requests/${r.id}/decide?lang=${lang}" novalidate>${hidden}
  ${field({ name: 'reason', label: t(lang, 'dlReason'), value: '', errors: p.errors, attrs: html`maxlength="200" required` })}
  <div class="actions"><button type="submit" name="decision" value="carry-out" class="warning">${t(lang, 'dlCarryOut')}</button>
  <button type="submit" name="decision" value="refuse" class="secondary">${t(lang, 'dlRefuse')}</button></div>
</form>` : ''}`, `/admin/deletion-requests/${r.id}`);
}
