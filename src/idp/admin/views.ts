// The administrator's page at /admin, in sections: a person's proofing evidence (look up, revoke), units
// (appoint a unit administrator, open or close a service point), and the audit log as a readable table
// (actions in words, Bangkok time; identifiers kept where an administrator needs them).
import { html } from '../../kernel/web/html.ts';
import { layout } from '../web/layout.ts';
import { tableWrap } from '../../kernel/web/layout.ts';
import { t } from '../web/messages.ts';
import { auditWords, checksWords, ialWithLevel, methodWords } from '../login/views/words.ts';

export interface AdminView {
  lang: 'th' | 'en';
  csrf: string;
  isAdmin: boolean;
  notice?: string;
  error?: string;
  filter: Record<string, string>;
  events: Array<{ seq: string; at: string; actor: string; action: string; subject: string; unit?: string; client?: string; method?: string; reason?: string }>;
  evidence?: { pid: string; ial: string; items: Array<{ id: number; method: string; checks: string[]; at: string; unit: string }> };
}

/** The console's areas, in the menu's order: [path, message key of its name, of its one-line description]. */
export const ADMIN_AREAS = [
  ['/admin/accounts', 'adminAreaAccounts', 'adminAreaAccountsHint'],
  ['/admin/roles', 'adminAreaRoles', 'adminAreaRolesHint'],
  ['/admin/deletion-requests', 'adminAreaDeletion', 'adminAreaDeletionHint'],
  ['/admin/audit-log', 'adminAreaAudit', 'adminAreaAuditHint'],
  ['/admin/relying-parties', 'rpNav', 'adminAreaRpHint'],
  ['/admin/resource-servers', 'rsNav', 'adminAreaRsHint'],
  ['/admin/units', 'unNav', 'adminAreaUnitsHint'],
  ['/admin/card-agents', 'adminAreaCardAgents', 'adminAreaCardAgentsHint'],
] as const;

/** A page of one console area: the wide column, a link back to the menu. */
export function adminAreaPage(lang: 'th' | 'en', title: string, body: ReturnType<typeof html>, path: string): string {
  return layout({ lang, title, path, wide: true, body: html`<p><a href="/admin?lang=${lang}">${t(lang, 'adminBackToMenu')}</a></p>${body}` });
}

export function notAdminPage(lang: 'th' | 'en'): string {
  return layout({ lang, title: t(lang, 'adminTitle'), path: '/admin', wide: true, body: html`<p role="alert">${t(lang, 'adminNotAdmin')}</p>` });
}

const short = (id: string) => (id.length > 14 && !id.startsWith('operator:') ? `${id.slice(0, 8)}…` : id);

export function adminPage(p: AdminView): string {
  const { lang, filter: f } = p;
  const hidden = html`<input type="hidden" name="csrf" value="${p.csrf}">`;
  const input = (name: string, label: string, value = '', attrs = html``) => html`<div class="field"><label for="${name}">${label}</label><input id="${name}" name="${name}" value="${value}" ${attrs}></div>`;
  return layout({
    lang,
    title: t(lang, 'adminTitle'),
    path: '/admin',
    wide: true,
    body: !p.isAdmin
      ? html`<p role="alert">${t(lang, 'adminNotAdmin')}</p>`
      : html`<nav aria-labelledby="admin-menu"><h2 id="admin-menu">${t(lang, 'adminMenuHeading')}</h2><ul class="admin-menu">
${ADMIN_AREAS.map(([path, name, hint]) => html`  <li><a href="${path}?lang=${lang}">${t(lang, name)}</a> <small>${t(lang, hint)}</small></li>
`)}</ul>
<p>${t(lang, 'adminOnThisPage')}</p><ul class="inline-list">
  <li><a href="#people">${t(lang, 'adminEvidenceHeading')}</a></li>
  <li><a href="#units">${t(lang, 'adminUnitsHeading')}</a></li>
  <li><a href="#audit">${t(lang, 'adminAuditHeading')}</a></li>
</ul></nav>
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
${p.error ? html`<p class="error" role="alert" id="form-error">${p.error}</p>` : ''}
<section aria-labelledby="people">
<h2 id="people">${t(lang, 'adminEvidenceHeading')}</h2>
<form method="post" action="/admin/evidence" novalidate>${hidden}
  ${input('evidence_pid', t(lang, 'pid'), p.evidence?.pid, html`inputmode="numeric" maxlength="17" autocomplete="off"`)}
  ${input('evidence_reason', t(lang, 'verifierSearchReason'), '', html`maxlength="200"`)}
  <button type="submit">${t(lang, 'adminEvidenceLookup')}</button>
</form>
${p.evidence
  ? html`<p>${ialWithLevel(lang, p.evidence.ial)}</p>${p.evidence.items.length ? '' : html`<p>${t(lang, 'adminEvidenceNone')}</p>`}
<ul>${p.evidence.items.map(
      (e) => html`<li><strong>${methodWords(lang, e.method)}</strong> · ${checksWords(lang, e.checks)} · ${e.unit ? html`${t(lang, 'adminAuditUnit')} ${e.unit} · ` : ''}${e.at}
  <form method="post" action="/admin/evidence/${e.id}/revoke" class="inline">${hidden}
    <label for="revoke-${e.id}">${t(lang, 'verifierSearchReason')}</label><input id="revoke-${e.id}" name="reason" maxlength="200" required>
    <button type="submit" class="secondary">${t(lang, 'adminRevoke')}</button>
  </form></li>`,
    )}</ul>`
  : ''}
</section>
<section aria-labelledby="units">
<h2 id="units">${t(lang, 'adminUnitsHeading')}</h2>
<h3>${t(lang, 'adminUnitAdminHeading')}</h3>
<form method="post" action="/admin/unit-admin" novalidate>${hidden}
  ${input('ua_pid', t(lang, 'pid'), '', html`inputmode="numeric" maxlength="17" autocomplete="off"`)}
  ${input('ua_hcode', t(lang, 'adminAuditUnit'), '', html`inputmode="numeric" maxlength="5"`)}
  ${input('ua_reason', t(lang, 'unitAdminReason'), '', html`maxlength="200"`)}
  <button type="submit">${t(lang, 'adminAppointUnitAdmin')}</button>
</form>
<h3>${t(lang, 'adminProvinceOfficerHeading')}</h3>
<form method="post" action="/admin/province-officer" novalidate>${hidden}
  ${input('po_pid', t(lang, 'pid'), '', html`inputmode="numeric" maxlength="17" autocomplete="off"`)}
  ${input('po_province', t(lang, 'adminProvinceCode'), '', html`inputmode="numeric" maxlength="2"`)}
  ${input('po_reason', t(lang, 'unitAdminReason'), '', html`maxlength="200"`)}
  <button type="submit">${t(lang, 'adminAppointProvinceOfficer')}</button>
</form>
<h3>${t(lang, 'adminServicePointHeading')}</h3>
<form method="post" action="/admin/service-point" novalidate>${hidden}
  ${input('sp_hcode', t(lang, 'adminAuditUnit'), '', html`inputmode="numeric" maxlength="5"`)}
  <div class="actions">
    <button type="submit" name="state" value="on">${t(lang, 'adminServicePointOn')}</button>
    <button type="submit" name="state" value="off" class="secondary">${t(lang, 'adminServicePointOff')}</button>
  </div>
</form>
</section>
<section aria-labelledby="audit">
<h2 id="audit">${t(lang, 'adminAuditHeading')}</h2>
<form method="post" action="/admin/audit" novalidate>${hidden}
  ${input('pid', t(lang, 'adminAuditPerson'), f.pid, html`inputmode="numeric" maxlength="17" autocomplete="off"`)}
  ${input('actor', t(lang, 'adminAuditActor'), f.actor, html`maxlength="100"`)}
  ${input('unit', t(lang, 'adminAuditUnit'), f.unit, html`inputmode="numeric" maxlength="5"`)}
  ${input('from', t(lang, 'adminAuditFrom'), f.from, html`maxlength="10"`)}
  ${input('to', t(lang, 'adminAuditTo'), f.to, html`maxlength="10"`)}
  <button type="submit">${t(lang, 'adminAuditFilter')}</button>
</form>
${p.events.length
  ? tableWrap(t(lang, 'adminAuditHeading'), html`<table class="audit"><caption>${t(lang, 'adminAuditCaption', { count: p.events.length })}</caption>
<thead><tr><th scope="col">${t(lang, 'activityWhen')}</th><th scope="col">${t(lang, 'activityWhat')}</th><th scope="col">${t(lang, 'adminAuditWho')}</th><th scope="col">${t(lang, 'adminAuditWhom')}</th><th scope="col">${t(lang, 'adminAuditDetail')}</th></tr></thead><tbody>
${p.events.map((e) => html`<tr><td>${e.at}</td><td>${auditWords(lang, e.action)}</td><td title="${e.actor}">${e.actor ? short(e.actor) : t(lang, 'adminAuditNobody')}</td><td title="${e.subject}">${e.subject ? short(e.subject) : '-'}</td><td>${[
    e.unit ? `${t(lang, 'adminAuditUnit')} ${e.unit}` : '',
    e.method ? methodWords(lang, e.method) : '',
    e.client ? `${t(lang, 'adminAuditClient')} ${e.client}` : '',
    e.reason ? `${t(lang, 'verifierSearchReason')}: ${e.reason}` : '',
  ].filter(Boolean).join(' · ')}</td></tr>`)}
</tbody></table>`)
  : html`<p>${t(lang, 'adminAuditEmpty')}</p>`}
</section>`,
  });
}
