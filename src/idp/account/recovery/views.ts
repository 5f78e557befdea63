import { html } from '../../../kernel/web/html.ts';
import { layout } from '../../web/layout.ts';
import { strengthOutput } from '../../authenticators/password/views.ts';
import { t } from '../../web/messages.ts';
import { birthdateFieldset, codeInput, errorSummary, field, type FieldErrors } from '../../../kernel/web/form.ts';
import { birthLabels } from '../registration/views.ts';
import { monthNames } from '../../../kernel/thai/dates.ts';
import type { Lang } from '../../../kernel/web/i18n.ts';

export function recoverPage(p: { lang: Lang; csrf: string; values: Record<string, string>; errors: FieldErrors; returnTo?: string }): string {
  const { lang, values: v, errors } = p;
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
  ${birthdateFieldset({ values: v, error: errors.birth_day, labels: birthLabels(lang), months: monthNames(lang) })}
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
  ${codeInput({ label: t(lang, 'otpCode'), error: p.error })}
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
    scripts: ['password-strength.js'],
    body: html`
${errorSummary(t(lang, 'formErrors'), errors, { password: t(lang, 'newPassword'), password_confirm: t(lang, 'confirmPassword') })}
<form method="post" action="/recover/password" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  ${field({ name: 'password', label: t(lang, 'newPassword'), errors, type: 'password', hint: t(lang, 'passwordHint'), attrs: html`data-password-toggle data-strength="password-strength" autocomplete="new-password" maxlength="256" required` })}
  ${strengthOutput(lang)}
  ${field({ name: 'password_confirm', label: t(lang, 'confirmPassword'), errors, type: 'password', attrs: html`data-password-toggle autocomplete="new-password" maxlength="256" required` })}
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
