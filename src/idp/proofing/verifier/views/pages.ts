import { html } from '../../../../kernel/web/html.ts';
import { layout } from '../../../web/layout.ts';
import { t } from '../../../web/messages.ts';
import { errorSummary, field, type FieldErrors } from '../../../../kernel/web/form.ts';
import type { Lang } from '../../../../kernel/web/i18n.ts';

export interface VerifierView {
  lang: Lang;
  csrf: string;
  unit?: { hcode: string; name: string };
  errors: FieldErrors;
  notice?: string;
  person?: { sub: string; name: string; birthdate: string; ial: string };
  history: Array<{ at: string; method: string; checks: string }>;
  testZone?: boolean;
}

export function verifierPage(p: VerifierView): string {
  const { lang, errors } = p;
  const hidden = html`<input type="hidden" name="csrf" value="${p.csrf}">`;
  return layout({
    lang,
    title: t(lang, 'verifierTitle'),
    path: '/verifier',
    body: !p.unit
      ? html`<p role="alert">${t(lang, 'verifierNotAppointed')}</p>`
      : html`<p>${t(lang, 'verifierUnit', { unit: `${p.unit.name} (${p.unit.hcode})` })}</p>
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
${errorSummary(t(lang, 'formErrors'), errors, { pid: t(lang, 'pid'), reason: t(lang, 'verifierSearchReason'), card_read: t(lang, 'verifierCardRead') })}
<h2>${t(lang, 'verifierSearchHeading')}</h2>
<form method="post" action="/verifier/search" novalidate>${hidden}
  <input type="hidden" name="unit" value="${p.unit.hcode}">
  ${field({ name: 'pid', label: t(lang, 'pid'), errors, attrs: html`inputmode="numeric" maxlength="17" autocomplete="off" required` })}
  ${field({ name: 'reason', label: t(lang, 'verifierSearchReason'), errors, attrs: html`maxlength="200" required` })}
  <button type="submit">${t(lang, 'verifierSearch')}</button>
</form>
${p.person
  ? html`<h2>${t(lang, 'verifierPersonHeading')}</h2>
<dl><dt>${t(lang, 'namesHeading')}</dt><dd>${p.person.name}</dd><dt>${t(lang, 'birthdate')}</dt><dd>${p.person.birthdate}</dd><dt>IAL</dt><dd>${p.person.ial}</dd></dl>
<h2>${t(lang, 'verifierInPersonHeading')}</h2>
<form method="post" action="/verifier/in-person" novalidate>${hidden}
  <input type="hidden" name="unit" value="${p.unit.hcode}">
  <input type="hidden" name="sub" value="${p.person.sub}">
  <label for="card_read">${t(lang, 'verifierCardRead')}</label>
  <textarea id="card_read" name="card_read" rows="4" required${errors.card_read ? html` aria-invalid="true" aria-describedby="form-error"` : ''}></textarea>
  <div class="field checkbox"><input id="card_status" name="card_status" type="checkbox" value="yes"><label for="card_status">${t(lang, 'verifierCardStatus')}</label></div>
  <div class="field checkbox"><input id="face_compared" name="face_compared" type="checkbox" value="yes"><label for="face_compared">${t(lang, 'verifierFaceCompared')}</label></div>
  ${field({ name: 'note', label: t(lang, 'verifierDecisionReason'), errors, attrs: html`maxlength="200"` })}
  <button type="submit">${t(lang, 'verifierApprove')}</button>
</form>
${p.testZone
  ? html`<details>
  <summary>${t(lang, 'verifierByHand')}</summary>
  <p>${t(lang, 'verifierByHandIntro')}</p>
  <form method="post" action="/verifier/by-hand" novalidate>${hidden}
    <input type="hidden" name="unit" value="${p.unit.hcode}">
    <input type="hidden" name="sub" value="${p.person.sub}">
    <label for="hand-pid">${t(lang, 'pid')}</label><input id="hand-pid" name="pid" inputmode="numeric" maxlength="17">
    <label for="hand-given">${t(lang, 'givenNameTh')}</label><input id="hand-given" name="given_name" maxlength="100">
    <label for="hand-family">${t(lang, 'familyNameTh')}</label><input id="hand-family" name="family_name" maxlength="100">
    <fieldset class="date"><legend>${t(lang, 'birthdate')}</legend>
      <div><label for="hand-bd">${t(lang, 'birthDay')}</label><input id="hand-bd" name="birth_day" inputmode="numeric" maxlength="2" size="2"></div>
      <div><label for="hand-bm">${t(lang, 'birthMonth')}</label><input id="hand-bm" name="birth_month" inputmode="numeric" maxlength="2" size="2"></div>
      <div><label for="hand-by">${t(lang, 'birthYear')}</label><input id="hand-by" name="birth_year" inputmode="numeric" maxlength="4" size="4"></div>
    </fieldset>
    <fieldset class="date"><legend>${t(lang, 'verifierCardExpiry')}</legend>
      <div><label for="hand-ed">${t(lang, 'birthDay')}</label><input id="hand-ed" name="expiry_day" inputmode="numeric" maxlength="2" size="2"></div>
      <div><label for="hand-em">${t(lang, 'birthMonth')}</label><input id="hand-em" name="expiry_month" inputmode="numeric" maxlength="2" size="2"></div>
      <div><label for="hand-ey">${t(lang, 'birthYear')}</label><input id="hand-ey" name="expiry_year" inputmode="numeric" maxlength="4" size="4"></div>
    </fieldset>
    <div class="field checkbox"><input id="hand-status" name="card_status" type="checkbox" value="yes"><label for="hand-status">${t(lang, 'verifierCardStatusTyped')}</label></div>
    <label for="hand-note">${t(lang, 'verifierDecisionReason')}</label><input id="hand-note" name="note" maxlength="200">
    <button type="submit" class="secondary">${t(lang, 'verifierApprove')}</button>
  </form>
</details>`
  : ''}`
  : ''}
<h2>${t(lang, 'verifierHistoryHeading')}</h2>
<table><tbody>${p.history.map((h) => html`<tr><td>${h.at}</td><td>${h.method}</td><td>${h.checks}</td></tr>`)}</tbody></table>`,
  });
}

export interface UnitAdminView {
  lang: Lang;
  csrf: string;
  unit?: { hcode: string; name: string };
  verifiers: Array<{ sub: string; name: string; since: string; withdrawnReason: string | null }>;
  errors: FieldErrors;
  notice?: string;
}

export function unitAdminPage(p: UnitAdminView): string {
  const { lang, errors } = p;
  const hidden = html`<input type="hidden" name="csrf" value="${p.csrf}">`;
  return layout({
    lang,
    title: t(lang, 'unitAdminTitle'),
    path: '/verifier/unit',
    body: !p.unit
      ? html`<p role="alert">${t(lang, 'unitAdminNotAppointed')}</p>`
      : html`<p>${t(lang, 'verifierUnit', { unit: `${p.unit.name} (${p.unit.hcode})` })}</p>
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
${errorSummary(t(lang, 'formErrors'), errors, { pid: t(lang, 'pid'), reason: t(lang, 'unitAdminReason') })}
<table><tbody>
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
</tbody></table>
<h2>${t(lang, 'unitAdminAppoint')}</h2>
<form method="post" action="/verifier/unit/appoint" novalidate>${hidden}
  <input type="hidden" name="unit" value="${p.unit.hcode}">
  ${field({ name: 'pid', label: t(lang, 'pid'), errors, attrs: html`inputmode="numeric" maxlength="17" autocomplete="off" required` })}
  ${field({ name: 'reason', label: t(lang, 'unitAdminReason'), errors, attrs: html`maxlength="200" required` })}
  <button type="submit">${t(lang, 'unitAdminAppoint')}</button>
</form>`,
  });
}
