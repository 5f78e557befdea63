// The password's markup: the strength hint beside a new-password field, and the change-password form of
// the security page.
import { html, type Html } from '../../../kernel/web/html.ts';
import { errorSummary, field, type FieldErrors } from '../../../kernel/web/form.ts';
import { t } from '../../web/messages.ts';
import { hidden } from '../../account/pages/views.ts';

/** Where password-strength.js writes its hint for the new-password input with data-strength="password-strength". */
export function strengthOutput(lang: 'th' | 'en'): Html {
  const labels = ([0, 1, 2, 3, 4] as const).map((n) => t(lang, `passwordStrength${n}`)).join('|');
  return html`<p id="password-strength" class="strength" aria-live="polite" data-prefix="${t(lang, 'passwordStrengthLabel', { strength: '' })}" data-labels="${labels}"></p>`;
}

export function passwordSection(p: { lang: 'th' | 'en'; csrf: string; errors: FieldErrors }): Html {
  const { lang, csrf, errors } = p;
  return html`
<h2>${t(lang, 'passwordHeading')}</h2>
${errorSummary(t(lang, 'formErrors'), errors, { current_password: t(lang, 'currentPassword'), password: t(lang, 'newPassword'), password_confirm: t(lang, 'confirmPassword') })}
<form method="post" action="/account/password" novalidate>${hidden(csrf)}
  ${field({ name: 'current_password', label: t(lang, 'currentPassword'), errors, type: 'password', attrs: html`data-password-toggle autocomplete="current-password" maxlength="256" required` })}
  ${field({ name: 'password', label: t(lang, 'newPassword'), errors, type: 'password', hint: t(lang, 'passwordHint'), attrs: html`data-password-toggle data-strength="password-strength" autocomplete="new-password" maxlength="256" required` })}
  ${strengthOutput(lang)}
  ${field({ name: 'password_confirm', label: t(lang, 'confirmPassword'), errors, type: 'password', attrs: html`data-password-toggle autocomplete="new-password" maxlength="256" required` })}
  <button type="submit">${t(lang, 'changePassword')}</button>
</form>`;
}
