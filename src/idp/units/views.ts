// The unit administrator's page in the verifier console (/verifier/unit): the unit's verifiers,
// current and withdrawn, with forms to appoint and to withdraw one; then the unit's card reader agents.
import { html } from '../../kernel/web/html.ts';
import { layout } from '../web/layout.ts';
import { t, type MessageKey } from '../web/messages.ts';
import { tableWrap } from '../../kernel/web/layout.ts';
import { errorSummary, field, type FieldErrors } from '../../kernel/web/form.ts';
import type { Lang } from '../../kernel/web/i18n.ts';
import { cardAgentsSection, type CardAgentsView } from '../card_agents/views.ts';
import { verifierNav } from '../proofing/verifier/views.ts';


export interface UnitAdminView {
  lang: Lang;
  csrf: string;
  unit?: { hcode: string; name: string };
  verifiers: Array<{ sub: string; name: string; since: string; withdrawnReason: string | null }>;
  errors: FieldErrors;
  notice?: string;
  agents?: CardAgentsView;
}

/** Why a role was refused (a RoleError's `why` and the unit it names), in the page's language. */
export function roleRefusal(lang: Lang, err: { why: string; unit?: string }): string {
  return t(lang, `roleWhy_${err.why}` as MessageKey, { unit: err.unit ?? '' });
}

export function unitAdminPage(p: UnitAdminView): string {
  const { lang, errors } = p;
  const hidden = html`<input type="hidden" name="csrf" value="${p.csrf}">`;
  return layout({
    lang,
    title: t(lang, 'unitAdminTitle'),
    path: '/verifier/unit',
    wide: true,
    body: !p.unit
      ? html`<p role="alert">${t(lang, 'unitAdminNotAppointed')}</p>`
      : html`${verifierNav(lang, '/verifier/unit', p.unit.hcode)}
<p>${t(lang, 'verifierUnit', { unit: `${p.unit.name} (${p.unit.hcode})` })}</p>
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
${errorSummary(t(lang, 'formErrors'), errors, { pid: t(lang, 'pid'), reason: t(lang, 'unitAdminReason') })}
${tableWrap(t(lang, 'unitAdminVerifiersCaption'), html`<table><caption>${t(lang, 'unitAdminVerifiersCaption')}</caption>
<thead><tr><th scope="col">${t(lang, 'unitAdminName')}</th><th scope="col">${t(lang, 'unitAdminSince')}</th><th scope="col">${t(lang, 'unitAdminStatus')}</th></tr></thead><tbody>
${p.verifiers.map(
  (v) => html`<tr><td>${v.name}</td><td>${v.since}</td><td>${v.withdrawnReason === null
    ? html`${t(lang, 'unitAdminCurrent')}
      <form method="post" action="/verifier/unit/withdraw" class="inline">${hidden}
        <input type="hidden" name="unit" value="${p.unit!.hcode}"><input type="hidden" name="sub" value="${v.sub}">
        <label for="withdraw-${v.sub}">${t(lang, 'unitAdminReason')}</label><input id="withdraw-${v.sub}" name="reason" maxlength="200" required>
        <button type="submit" class="secondary">${t(lang, 'unitAdminWithdraw')}</button>
      </form>`
    : t(lang, 'unitAdminPast', { reason: v.withdrawnReason })}</td></tr>`,
)}
</tbody></table>`)}
<h2>${t(lang, 'unitAdminAppoint')}</h2>
<form method="post" action="/verifier/unit/appoint" novalidate>${hidden}
  <input type="hidden" name="unit" value="${p.unit.hcode}">
  ${field({ name: 'pid', label: t(lang, 'pid'), errors, attrs: html`inputmode="numeric" maxlength="17" autocomplete="off" required` })}
  ${field({ name: 'reason', label: t(lang, 'unitAdminReason'), errors, attrs: html`maxlength="200" required` })}
  <button type="submit">${t(lang, 'unitAdminAppoint')}</button>
</form>
${p.agents ? cardAgentsSection(p.agents) : ''}`,
  });
}
