import { html } from '../html.ts';
import { layout } from '../layout.ts';
import { t } from '../messages.ts';
import { errorSummary, field, type FieldErrors } from '../form.ts';
import { monthNames } from '../../src/account/dates.ts';

type Lang = 'th' | 'en';

export function recoverPage(p: { lang: Lang; csrf: string; values: Record<string, string>; errors: FieldErrors; returnTo?: string }): string {
  const { lang, values: v, errors } = p;
  const birthError = errors.birth_day;
  return layout({
    lang,
    title: t(lang, 'recoverTitle'),
    path: '/recover',
    body: html`
<p>${t(lang, 'recoverIntro')}</p>
${errorSummary(t(lang, 'formErrors'), errors, { pid: t(lang, 'pid'), birth_day: t(lang, 'birthdate') })}
<form method="post" action="/recover" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  ${p.returnTo ? html`<input type="hidden" name="return" value="${p.returnTo}">` : ''}
  ${field({ name: 'pid', label: t(lang, 'pid'), value: v.pid, errors, hint: t(lang, 'pidHint'), attrs: html`inputmode="numeric" autocomplete="username" maxlength="17" required` })}
  <fieldset class="date"${birthError ? html` aria-describedby="birth_day-error"` : ''}>
    <legend>${t(lang, 'birthdate')}</legend>
    <div><label for="birth_day">${t(lang, 'birthDay')}</label>
      <input id="birth_day" name="birth_day" inputmode="numeric" maxlength="2" size="2" value="${v.birth_day ?? ''}"${birthError ? html` aria-invalid="true"` : ''}></div>
    <div><label for="birth_month">${t(lang, 'birthMonth')}</label>
      <select id="birth_month" name="birth_month">
        <option value=""></option>
        ${monthNames(lang).map((m, i) => html`<option value="${i + 1}"${v.birth_month === String(i + 1) ? ' selected' : ''}>${m}</option>`)}
      </select></div>
    <div><label for="birth_year">${t(lang, 'birthYear')}</label>
      <input id="birth_year" name="birth_year" inputmode="numeric" maxlength="4" size="4" aria-describedby="birth_year-hint" value="${v.birth_year ?? ''}"${birthError ? html` aria-invalid="true"` : ''}></div>
    <small id="birth_year-hint">${t(lang, 'birthYearHint')}</small>
    ${birthError ? html`<span class="field-error" id="birth_day-error">${birthError}</span>` : ''}
  </fieldset>
  <button type="submit">${t(lang, 'recoverSubmit')}</button>
</form>`,
  });
}

export function recoverCodePage(p: { lang: Lang; csrf: string; error?: string }): string {
  const { lang } = p;
  return layout({
    lang,
    title: t(lang, 'recoverTitle'),
    path: '/recover/verify',
    body: html`
<p role="status">${t(lang, 'recoverSent')}</p>
${p.error ? html`<p class="error" role="alert" id="form-error">${p.error}</p>` : ''}
<form method="post" action="/recover/verify" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  <label for="code">${t(lang, 'otpCode')}</label>
  <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="8" required${p.error ? html` aria-invalid="true" aria-describedby="form-error"` : ''}>
  <button type="submit">${t(lang, 'confirm')}</button>
</form>`,
  });
}

export function newPasswordPage(p: { lang: Lang; csrf: string; errors: FieldErrors }): string {
  const { lang, errors } = p;
  return layout({
    lang,
    title: t(lang, 'recoverNewPassword'),
    path: '/recover/password',
    body: html`
${errorSummary(t(lang, 'formErrors'), errors, { password: t(lang, 'newPassword'), password_confirm: t(lang, 'confirmPassword') })}
<form method="post" action="/recover/password" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  ${field({ name: 'password', label: t(lang, 'newPassword'), errors, type: 'password', hint: t(lang, 'passwordHint'), attrs: html`autocomplete="new-password" maxlength="256" required` })}
  ${field({ name: 'password_confirm', label: t(lang, 'confirmPassword'), errors, type: 'password', attrs: html`autocomplete="new-password" maxlength="256" required` })}
  <button type="submit">${t(lang, 'recoverSave')}</button>
</form>`,
  });
}

export function recoveredPage(p: { lang: Lang; returnTo?: string }): string {
  const { lang } = p;
  return layout({
    lang,
    title: t(lang, 'recoverTitle'),
    body: html`<p role="status">${t(lang, 'recoverDone')}</p>
<p><a class="button" href="${p.returnTo ?? '/account'}">${t(lang, 'logInNow')}</a></p>`,
  });
}
