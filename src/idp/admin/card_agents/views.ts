// The card reader agents page of the administration console: a filter (unit, state), every matching
// agent with its unit, name, version, enrolment, last sign of life and revocation; a revoke form with a
// reason on each active one (a refusal beside its field and in the error summary).
import { html } from '../../../kernel/web/html.ts';
import { errorSummary } from '../../../kernel/web/form.ts';
import { stackTable } from '../../../kernel/web/layout.ts';
import type { Lang } from '../../../kernel/http/i18n.ts';
import { t } from '../../web/messages.ts';
import { adminAreaPage } from '../views.ts';

export interface AgentRow {
  id: string;
  hcode: string;
  unitName: string | null;
  name: string | null;
  version: string | null;
  enrolled: string;
  lastSeen: string | null;
  revoked: string | null;
  revokedBy: string | null;
}

export function cardAgentsPage(lang: Lang, p: { csrf: string; rows: AgentRow[]; filter: { hcode: string; state: string }; errors: Record<string, string>; values: Record<string, string>; notice?: string }): string {
  const labels: Record<string, string> = { hcode: t(lang, 'caHcode'), state: t(lang, 'caState'), agents: t(lang, 'caListHeading') };
  for (const r of p.rows) labels[`reason-${r.id}`] = `${t(lang, 'caRevokeReason')} (${r.name ?? r.id})`;
  const hidden = html`<input type="hidden" name="csrf" value="${p.csrf}">`;
  const back = html`<input type="hidden" name="f_hcode" value="${p.filter.hcode}"><input type="hidden" name="f_state" value="${p.filter.state}">`;
  const fieldError = (name: string) => (p.errors[name] ? html`<span class="field-error" id="${name}-error">${p.errors[name]}</span>` : '');
  const invalid = (name: string) => (p.errors[name] ? html` aria-invalid="true" aria-describedby="${name}-error"` : '');
  const cols = [t(lang, 'caUnit'), t(lang, 'caAgent'), t(lang, 'caEnrolled'), t(lang, 'caLastSeen'), t(lang, 'caState')];
  const states = [['', 'caStateAll'], ['active', 'caStateActive'], ['revoked', 'caStateRevoked']] as const;
  return adminAreaPage(lang, t(lang, 'caTitle'), html`${errorSummary(t(lang, 'caErrors'), p.errors, labels)}
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
<p>${t(lang, 'caIntro')}</p>
<section aria-labelledby="filter"><h2 id="filter">${t(lang, 'caFilterHeading')}</h2>
<form method="get" action="/admin/card-agents" novalidate><input type="hidden" name="lang" value="${lang}">
  <div class="field"><label for="hcode">${labels.hcode}</label><input id="hcode" name="hcode" value="${p.filter.hcode}" inputmode="numeric" maxlength="5"${invalid('hcode')}>${fieldError('hcode')}</div>
  <div class="field"><label for="state">${labels.state}</label><select id="state" name="state"${invalid('state')}>${states.map(([v, k]) => html`<option value="${v}"${p.filter.state === v ? html` selected` : ''}>${t(lang, k)}</option>`)}</select>${fieldError('state')}</div>
  <button type="submit">${t(lang, 'caFilter')}</button>
</form></section>
<section aria-labelledby="agents"><h2 id="agents">${t(lang, 'caListHeading')}</h2>
${p.rows.length ? stackTable(t(lang, 'caListHeading'), cols, p.rows.map((r) => {
    const reason = `reason-${r.id}`;
    return [
      `${r.hcode}${r.unitName ? ` ${r.unitName}` : ''}`,
      html`${r.name ?? r.id}${r.version ? html`<br><small>${t(lang, 'caVersion', { version: r.version })}</small>` : ''}<br><small>${r.id}</small>`,
      r.enrolled,
      r.lastSeen ?? t(lang, 'caNeverSeen'),
      r.revoked
        ? t(lang, 'caRevokedAt', { at: r.revoked, by: r.revokedBy ?? '-' })
        : html`${t(lang, 'caStateActive')}<form method="post" action="/admin/card-agents/${r.id}/revoke?lang=${lang}" novalidate>${hidden}${back}
  <div class="field"><label for="${reason}">${t(lang, 'caRevokeReason')}</label><input id="${reason}" name="reason" maxlength="200" value="${p.values[reason] ?? ''}"${invalid(reason)}>${fieldError(reason)}</div>
  <button type="submit" class="warning">${t(lang, 'caRevoke')}</button></form>`,
    ];
  })) : html`<p>${t(lang, 'caNone')}</p>`}
</section>`, '/admin/card-agents');
}
