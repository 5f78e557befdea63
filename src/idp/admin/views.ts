import { html } from '../../kernel/web/html.ts';
import { layout } from '../web/layout.ts';
import { t } from '../web/messages.ts';

export interface AdminView {
  lang: 'th' | 'en';
  csrf: string;
  isAdmin: boolean;
  notice?: string;
  error?: string;
  filter: Record<string, string>;
  events: Array<{ seq: string; at: string; actor: string; action: string; subject: string; detail: string }>;
  evidence?: { pid: string; ial: string; items: Array<{ id: number; method: string; checks: string; at: string; unit: string }> };
}

export function adminPage(p: AdminView): string {
  const { lang, filter: f } = p;
  const hidden = html`<input type="hidden" name="csrf" value="${p.csrf}">`;
  const input = (name: string, label: string, value = '', attrs = html``) => html`<label for="${name}">${label}</label><input id="${name}" name="${name}" value="${value}" ${attrs}>`;
  return layout({
    lang,
    title: t(lang, 'adminTitle'),
    path: '/admin',
    body: !p.isAdmin
      ? html`<p role="alert">${t(lang, 'adminNotAdmin')}</p>`
      : html`${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
${p.error ? html`<p class="error" role="alert">${p.error}</p>` : ''}
<h2>${t(lang, 'adminEvidenceHeading')}</h2>
<form method="post" action="/admin/evidence" novalidate>${hidden}
  ${input('evidence_pid', t(lang, 'pid'), p.evidence?.pid, html`inputmode="numeric" maxlength="17" autocomplete="off"`)}
  ${input('evidence_reason', t(lang, 'verifierSearchReason'), '', html`maxlength="200"`)}
  <button type="submit">${t(lang, 'adminEvidenceLookup')}</button>
</form>
${p.evidence
  ? html`<p>IAL ${p.evidence.ial}</p>${p.evidence.items.length ? '' : html`<p>${t(lang, 'adminEvidenceNone')}</p>`}
<ul>${p.evidence.items.map(
      (e) => html`<li>#${e.id} ${e.method} (${e.checks}) ${e.unit} ${e.at}
  <form method="post" action="/admin/evidence/${e.id}/revoke" class="inline">${hidden}
    <label for="revoke-${e.id}">${t(lang, 'verifierSearchReason')}</label><input id="revoke-${e.id}" name="reason" maxlength="200" required>
    <button type="submit" class="secondary">${t(lang, 'adminRevoke')}</button>
  </form></li>`,
    )}</ul>`
  : ''}
<h2>${t(lang, 'adminUnitAdminHeading')}</h2>
<form method="post" action="/admin/unit-admin" novalidate>${hidden}
  ${input('ua_pid', t(lang, 'pid'), '', html`inputmode="numeric" maxlength="17" autocomplete="off"`)}
  ${input('ua_hcode', t(lang, 'adminAuditUnit'), '', html`inputmode="numeric" maxlength="5"`)}
  ${input('ua_reason', t(lang, 'unitAdminReason'), '', html`maxlength="200"`)}
  <button type="submit">${t(lang, 'unitAdminAppoint')}</button>
</form>
<h2>${t(lang, 'adminServicePointHeading')}</h2>
<form method="post" action="/admin/service-point" novalidate>${hidden}
  ${input('sp_hcode', t(lang, 'adminAuditUnit'), '', html`inputmode="numeric" maxlength="5"`)}
  <div class="actions">
    <button type="submit" name="state" value="on">${t(lang, 'adminServicePointOn')}</button>
    <button type="submit" name="state" value="off" class="secondary">${t(lang, 'adminServicePointOff')}</button>
  </div>
</form>
<h2>${t(lang, 'adminAuditHeading')}</h2>
<form method="post" action="/admin/audit" novalidate>${hidden}
  ${input('pid', t(lang, 'adminAuditPerson'), f.pid, html`inputmode="numeric" maxlength="17" autocomplete="off"`)}
  ${input('actor', t(lang, 'adminAuditActor'), f.actor, html`maxlength="100"`)}
  ${input('unit', t(lang, 'adminAuditUnit'), f.unit, html`inputmode="numeric" maxlength="5"`)}
  ${input('from', t(lang, 'adminAuditFrom'), f.from, html`maxlength="10"`)}
  ${input('to', t(lang, 'adminAuditTo'), f.to, html`maxlength="10"`)}
  <button type="submit">${t(lang, 'adminAuditFilter')}</button>
</form>
<table><thead><tr><th scope="col">#</th><th scope="col">${t(lang, 'activityWhen')}</th><th scope="col">${t(lang, 'adminAuditActor')}</th><th scope="col">${t(lang, 'activityWhat')}</th><th scope="col">sub</th><th scope="col"></th></tr></thead><tbody>
${p.events.map((e) => html`<tr><td>${e.seq}</td><td>${e.at}</td><td><code>${e.actor}</code></td><td><code>${e.action}</code></td><td><code>${e.subject}</code></td><td><small>${e.detail}</small></td></tr>`)}
</tbody></table>`,
  });
}
