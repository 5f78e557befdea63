import { html } from '../../kernel/web/html.ts';
import { t } from '../web/messages.ts';
import { accountPage, type Flash } from '../account/pages/views.ts';
import { errorSummary, field, type FieldErrors } from '../../kernel/web/form.ts';

export function verifyIdentityPage(p: { lang: 'th' | 'en'; csrf: string; ial: string; available: boolean; triesLeft: number; errors: FieldErrors; flash?: Flash; photo?: { status: string; reason: string | null }; units: Array<{ hcode: string; nameTh: string }> }): string {
  const { lang, errors } = p;
  return accountPage({
    lang,
    title: t(lang, 'verifyIdTitle'),
    path: '/account/verify',
    flash: p.flash,
    body: html`<p>${t(lang, 'verifyIdLevel', { ial: p.ial })}</p>
<h2>${t(lang, 'registerCheckHeading')}</h2>
${errorSummary(t(lang, 'formErrors'), errors, { laser_code: t(lang, 'laserCode'), photo: t(lang, 'photoHeading') })}
${p.available
  ? html`<p>${t(lang, 'registerCheckIntro')}</p>
<form method="post" action="/account/verify/register" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  ${field({ name: 'laser_code', label: t(lang, 'laserCode'), errors, hint: t(lang, 'laserCodeHint'), attrs: html`autocomplete="off" autocapitalize="characters" maxlength="16" required` })}
  <p><small>${t(lang, 'registerCheckTriesLeft', { tries: p.triesLeft })}</small></p>
  <button type="submit">${t(lang, 'registerCheckSubmit')}</button>
</form>`
  : html`<p>${t(lang, 'registerCheckUnavailable')}</p>`}
<h2>${t(lang, 'photoHeading')}</h2>
${p.photo
  ? html`<p role="status">${p.photo.status === 'pending' ? t(lang, 'photoStatusPending') : p.photo.status === 'approved' ? t(lang, 'photoStatusApproved') : t(lang, 'photoStatusRejected', { reason: p.photo.reason ?? '' })}</p>`
  : ''}
<p>${t(lang, 'photoIntro')}</p>
<form method="post" action="/account/verify/photo" enctype="multipart/form-data">
  <input type="hidden" name="csrf" value="${p.csrf}">
  <label for="face_with_card">${t(lang, 'photoFace')}</label>
  <input id="face_with_card" name="face_with_card" type="file" accept="image/jpeg,image/png" capture="user" required${errors.photo ? html` aria-invalid="true" aria-describedby="form-error"` : ''}>
  <label for="card_front">${t(lang, 'photoCard')}</label>
  <input id="card_front" name="card_front" type="file" accept="image/jpeg,image/png" capture="environment" required>
  <label for="photo_unit">${t(lang, 'photoUnit')}</label>
  <select id="photo_unit" name="unit"><option value="">${t(lang, 'photoAnyUnit')}</option>${p.units.map((u) => html`<option value="${u.hcode}">${u.nameTh} (${u.hcode})</option>`)}</select>
  <button type="submit">${t(lang, 'photoSubmit')}</button>
</form>
<p>${t(lang, 'inPersonHint')}</p>`,
  });
}
