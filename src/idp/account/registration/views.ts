import { html } from '../../../kernel/web/html.ts';
import { layout } from '../../web/layout.ts';
import { strengthOutput } from '../../authenticators/password/views.ts';
import { t } from '../../web/messages.ts';
import { birthdateFieldset, codeInput, errorSummary, field, type FieldErrors } from '../../../kernel/web/form.ts';
import { formatDate, monthNames } from '../../../kernel/thai/dates.ts';
import type { Lang } from '../../../kernel/web/i18n.ts';

export type RegisterValues = Partial<Record<'pid' | 'title' | 'given_name' | 'family_name' | 'given_name_en' | 'family_name_en' | 'birth_day' | 'birth_month' | 'birth_year' | 'phone', string>>;

export const birthLabels = (lang: Lang) => ({
  legend: t(lang, 'birthdate'),
  day: t(lang, 'birthDay'),
  month: t(lang, 'birthMonth'),
  year: t(lang, 'birthYear'),
  yearHint: t(lang, 'birthYearHint'),
});

const TITLES = ['นาย', 'นาง', 'นางสาว', 'เด็กชาย', 'เด็กหญิง'];

/** What a digital ID vouched for, shown read-only on the registration form (ISO birth date). */
export interface VouchedView {
  pid: string;
  title?: string;
  given_name: string;
  family_name: string;
  given_name_en?: string;
  family_name_en?: string;
  birthdate: string;
}

function vouchedList(lang: Lang, v: VouchedView) {
  const rows: Array<[string, string | undefined]> = [
    [t(lang, 'pid'), v.pid],
    [t(lang, 'titleField'), v.title],
    [t(lang, 'givenNameTh'), v.given_name],
    [t(lang, 'familyNameTh'), v.family_name],
    [t(lang, 'digitalIdAttr_given_name_en'), v.given_name_en],
    [t(lang, 'digitalIdAttr_family_name_en'), v.family_name_en],
    [t(lang, 'birthdate'), formatDate(v.birthdate, lang)],
  ];
  return html`<h2>${t(lang, 'registerVouchedData')}</h2>
<dl class="vouched">${rows.filter(([, value]) => value).map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>`)}</dl>`;
}

/** "Register with ThaID": a form of its own (CSRF), before the form typed by hand. */
function digitalIdChoice(lang: Lang, csrf: string, returnTo: string | undefined, error: string | undefined) {
  return html`<section class="choice" aria-labelledby="thaid-title">
<h2 id="thaid-title">${t(lang, 'registerWithThaid')}</h2>
<p>${t(lang, 'registerWithThaidHint')}</p>
${error ? html`<p class="field-error" id="thaid-error">${error}</p>` : ''}
<form method="post" action="/register/digital-id">
  <input type="hidden" name="csrf" value="${csrf}">
  ${returnTo ? html`<input type="hidden" name="return" value="${returnTo}">` : ''}
  <button type="submit" id="thaid"${error ? html` aria-describedby="thaid-error"` : ''}>${t(lang, 'registerWithThaid')}</button>
</form>
</section>
<h2>${t(lang, 'registerOr')}</h2>`;
}

export function registerPage(p: { lang: Lang; csrf: string; values: RegisterValues; errors: FieldErrors; returnTo?: string; privacyVersion: string; accepted?: boolean; digitalId?: boolean; vouched?: VouchedView }): string {
  const { lang, values: v, errors, vouched } = p;
  const labels: Record<string, string> = {
    thaid: t(lang, 'registerWithThaid'),
    pid: t(lang, 'pid'),
    given_name: t(lang, 'givenNameTh'),
    family_name: t(lang, 'familyNameTh'),
    given_name_en: t(lang, 'givenNameEn'),
    family_name_en: t(lang, 'familyNameEn'),
    birth_day: t(lang, 'birthdate'),
    phone: t(lang, 'phone'),
    password: t(lang, 'newPassword'),
    password_confirm: t(lang, 'confirmPassword'),
    accept_privacy: t(lang, 'privacyTitle'),
  };
  return layout({
    lang,
    title: t(lang, vouched ? 'registerVouchedTitle' : 'registerTitle'),
    path: vouched ? '/register/digital-id' : '/register',
    scripts: ['password-strength.js'],
    body: html`
<p>${t(lang, vouched ? 'registerVouchedIntro' : 'registerIntro')}</p>
${errorSummary(t(lang, 'formErrors'), errors, labels)}
${!vouched && p.digitalId ? digitalIdChoice(lang, p.csrf, p.returnTo, errors.thaid) : ''}
${vouched ? vouchedList(lang, vouched) : ''}
<form method="post" action="/register" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  ${p.returnTo ? html`<input type="hidden" name="return" value="${p.returnTo}">` : ''}
  ${vouched ? html`<input type="hidden" name="via" value="thaid">` : html`${field({ name: 'pid', label: labels.pid!, value: v.pid, errors, hint: t(lang, 'pidHint'), attrs: html`inputmode="numeric" autocomplete="username" maxlength="17" required` })}
  <div class="field">
    <label for="title">${t(lang, 'titleField')}</label>
    <select id="title" name="title">
      <option value="">${t(lang, 'titleNone')}</option>
      ${TITLES.map((title) => html`<option value="${title}"${v.title === title ? ' selected' : ''}>${title}</option>`)}
    </select>
  </div>
  ${field({ name: 'given_name', label: labels.given_name!, value: v.given_name, errors, attrs: html`autocomplete="given-name" maxlength="100" required lang="th"` })}
  ${field({ name: 'family_name', label: labels.family_name!, value: v.family_name, errors, attrs: html`autocomplete="family-name" maxlength="100" required lang="th"` })}
  ${field({ name: 'given_name_en', label: labels.given_name_en!, value: v.given_name_en, errors, attrs: html`maxlength="100" lang="en"` })}
  ${field({ name: 'family_name_en', label: labels.family_name_en!, value: v.family_name_en, errors, attrs: html`maxlength="100" lang="en"` })}
  ${birthdateFieldset({ values: v, error: errors.birth_day, labels: birthLabels(lang), months: monthNames(lang) })}`}
  ${field({ name: 'phone', label: labels.phone!, value: v.phone, errors, hint: t(lang, 'phoneHint'), type: 'tel', attrs: html`autocomplete="tel-national" maxlength="16" required` })}
  ${field({ name: 'password', label: labels.password!, errors, type: 'password', hint: t(lang, 'passwordHint'), attrs: html`data-password-toggle data-strength="password-strength" autocomplete="new-password" maxlength="256" required` })}
  ${strengthOutput(lang)}
  ${field({ name: 'password_confirm', label: labels.password_confirm!, errors, type: 'password', attrs: html`data-password-toggle autocomplete="new-password" maxlength="256" required` })}
  <div class="field checkbox">
    <input id="accept_privacy" name="accept_privacy" type="checkbox" value="${p.privacyVersion}"${p.accepted ? ' checked' : ''}${errors.accept_privacy ? html` aria-invalid="true" aria-describedby="accept_privacy-error"` : ''}>
    <label for="accept_privacy">${t(lang, 'privacyAccept')} <a href="/privacy" target="_blank">${t(lang, 'privacyLink', { version: p.privacyVersion })}</a></label>
    ${errors.accept_privacy ? html`<span class="field-error" id="accept_privacy-error">${errors.accept_privacy}</span>` : ''}
  </div>
  <button type="submit">${t(lang, 'registerSubmit')}</button>
</form>
${vouched ? html`<p><a href="/register">${t(lang, 'registerVouchedCancel')}</a></p>` : ''}`,
  });
}

/** A registration with a digital ID that cannot go on: why, and the form typed by hand. */
export function vouchedRefusedPage(p: { lang: Lang; message: string }): string {
  const { lang } = p;
  return layout({
    lang,
    title: t(lang, 'registerVouchedRefused'),
    body: html`<p class="error" role="alert">${p.message}</p>
<p><a class="button" href="/register">${t(lang, 'registerOr')}</a></p>`,
  });
}

export function verifyPhonePage(p: { lang: Lang; csrf: string; phone: string; error?: string; notice?: string }): string {
  const { lang } = p;
  return layout({
    lang,
    title: t(lang, 'verifyTitle'),
    path: '/register/verify',
    body: html`
<p>${t(lang, 'verifyIntro', { phone: p.phone })}</p>
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
${p.error ? html`<p class="error" role="alert" id="form-error">${p.error}</p>` : ''}
<form method="post" action="/register/verify" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  ${codeInput({ label: t(lang, 'otpCode'), error: p.error })}
  <button type="submit">${t(lang, 'confirm')}</button>
</form>
<form method="post" action="/register/resend">
  <input type="hidden" name="csrf" value="${p.csrf}">
  <button type="submit" class="secondary">${t(lang, 'resend')}</button>
</form>`,
  });
}

export function duplicatePage(p: { lang: Lang; ownPhone: boolean }): string {
  const { lang } = p;
  return layout({
    lang,
    title: t(lang, 'duplicateTitle'),
    body: html`<p role="alert">${p.ownPhone ? t(lang, 'duplicateOwnBody') : t(lang, 'duplicateBody')}</p>
<p><a href="/recover">${t(lang, 'forgotPassword')}</a></p>`,
  });
}

export function privacyPage(p: { lang: Lang; version: string }): string {
  const { lang } = p;
  return layout({ lang, title: t(lang, 'privacyTitle'), path: '/privacy', body: html`<p>${t(lang, 'privacyBody')}</p><p><small>${p.version}</small></p>` });
}
