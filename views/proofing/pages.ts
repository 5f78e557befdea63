import { html } from '../html.ts';
import { t } from '../messages.ts';
import { accountPage, type Flash } from '../account/pages.ts';
import { errorSummary, field, type FieldErrors } from '../form.ts';

export function verifyIdentityPage(p: { lang: 'th' | 'en'; csrf: string; ial: string; available: boolean; triesLeft: number; errors: FieldErrors; flash?: Flash }): string {
  const { lang, errors } = p;
  return accountPage({
    lang,
    title: t(lang, 'verifyIdTitle'),
    path: '/account/verify',
    flash: p.flash,
    body: html`<p>${t(lang, 'verifyIdLevel', { ial: p.ial })}</p>
<h2>${t(lang, 'registerCheckHeading')}</h2>
${errorSummary(t(lang, 'formErrors'), errors, { laser_code: t(lang, 'laserCode') })}
${p.available
  ? html`<p>${t(lang, 'registerCheckIntro')}</p>
<form method="post" action="/account/verify/register" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  ${field({ name: 'laser_code', label: t(lang, 'laserCode'), errors, hint: t(lang, 'laserCodeHint'), attrs: html`autocomplete="off" autocapitalize="characters" maxlength="16" required` })}
  <p><small>${t(lang, 'registerCheckTriesLeft', { tries: p.triesLeft })}</small></p>
  <button type="submit">${t(lang, 'registerCheckSubmit')}</button>
</form>`
  : html`<p>${t(lang, 'registerCheckUnavailable')}</p>`}
<p>${t(lang, 'inPersonHint')}</p>`,
  });
}
